import fs from 'node:fs/promises';
import { EventEmitter } from 'node:events';
import { BerthError } from '../base/errors';
import { writeFileAtomic } from '../base/atomic-file';
import { settingsPatchSchema, type Settings, type SettingsPatch } from '../contract/settings';
import { defaultSettings, hostLimits, requireSettingsObject, validateSettings, type HostLimits } from './schema';

export interface SettingsUpdateResult {
  settings: Settings;
  /** Fields whose new value takes effect only when the VM restarts. */
  restartRequired: (keyof Settings)[];
}

const RESTART_FIELDS: (keyof Settings)[] = ['cpus', 'memoryMiB', 'diskGiB', 'accel', 'hypervisor', 'shares', 'engineConfig'];

/** settings.json: missing means defaults; present but invalid is an error, never silently replaced. */
export class SettingsStore extends EventEmitter<{ changed: [Settings] }> {
  constructor(
    readonly file: string,
    private readonly host: HostLimits = hostLimits(),
  ) {
    super();
  }

  async get(): Promise<Settings> {
    let text: string;
    try {
      text = await fs.readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return defaultSettings(this.host);
      throw err;
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (err) {
      throw new BerthError(
        'bad-request',
        `${this.file} is not valid JSON: ${(err as Error).message}`,
        `Fix or delete ${this.file} (deleting it restores the defaults).`,
      );
    }
    const fields = requireSettingsObject(raw, this.file);
    // Fields added in later versions take their defaults, so an older file stays valid.
    return validateSettings({ ...defaultSettings(this.host), ...fields }, this.host);
  }

  async update(patch: unknown): Promise<SettingsUpdateResult> {
    requireSettingsObject(patch, 'The change');
    const parsedPatch = settingsPatchSchema.safeParse(patch);
    if (!parsedPatch.success) {
      // Report through the full validator so messages name fields the same way for both paths.
      validateSettings({ ...defaultSettings(this.host), ...(patch as object) }, this.host);
      throw new BerthError('bad-request', 'Invalid settings patch', 'Send an object of known settings.');
    }
    const current = await this.get();
    const next = validateSettings({ ...current, ...(parsedPatch.data as SettingsPatch) }, this.host);
    await writeFileAtomic(this.file, JSON.stringify(next, null, 2) + '\n');
    // By value: shares is a list.
    const restartRequired = RESTART_FIELDS.filter((k) => JSON.stringify(next[k]) !== JSON.stringify(current[k]));
    this.emit('changed', next);
    return { settings: next, restartRequired };
  }
}
