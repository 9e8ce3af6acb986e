/**
 * The shape of settings.json, Node-free so the renderer's Settings view checks a field as the agent will.
 * Limits that depend on the machine (CPU count, RAM, folders) are the agent's (electron/settings/schema.ts).
 */
import { z } from 'zod';
import { engineConfigProblems } from './engine-config';

export const ACCELS = ['auto', 'kvm', 'hvf', 'whpx', 'tcg'] as const;

/**
 * Shape only. Limits that depend on the machine (CPU count, RAM) are checked in validateSettings, because the
 * same file may be read on another host and must then fail with a clear message rather than boot a VM that
 * cannot start.
 */
export const settingsSchema = z.object({
  cpus: z.number({ error: 'must be a number' }).int('must be a whole number').min(1, 'must be at least 1'),
  memoryMiB: z
    .number({ error: 'must be a number' })
    .int('must be a whole number of MiB')
    .min(512, 'must be at least 512 MiB (dockerd needs it)'),
  diskGiB: z
    .number({ error: 'must be a number' })
    .int('must be a whole number of GiB')
    .min(8, 'must be at least 8 GiB')
    .max(4096, 'must be at most 4096 GiB'),
  autostart: z.boolean({ error: 'must be true or false' }),
  autoRestart: z.boolean({ error: 'must be true or false' }),
  /** 'auto' probes the host's hypervisor and falls back to TCG; the others force one. */
  accel: z.enum(ACCELS, { error: `must be one of ${ACCELS.join(', ')}` }),
  /** vfkit is macOS only: Apple's Virtualization framework instead of QEMU. */
  hypervisor: z.enum(['qemu', 'vfkit'], { error: 'must be qemu or vfkit' }),
  /** Create/update the `berth` docker context; switching the user's current context is a separate opt-in. */
  dockerContext: z.boolean({ error: 'must be true or false' }),
  /**
   * Host folders shared into the VM at the same path, so bind mounts from the host CLI work unchanged
   * (checked against the guest's own directories in electron/shares).
   */
  shares: z.array(z.string().startsWith('/', 'must be absolute paths'), { error: 'must be a list of folders' }),
  /** Ports published to 0.0.0.0 listen on every host interface only when this is on; otherwise loopback. */
  exposePortsOnAllInterfaces: z.boolean({ error: 'must be true or false' }),
  /**
   * Resource Saver: with no container running for this many minutes the VM is paused (vCPUs stopped, its page
   * cache given back) until the next request wakes it. 0 turns it off.
   */
  resourceSaverMinutes: z
    .number({ error: 'must be a number of minutes (0 turns Resource Saver off)' })
    .int('must be a whole number of minutes')
    .min(0, 'must be 0 (off) or more')
    .max(1440, 'must be at most 1440 (a day)'),
  /**
   * Where to download the guest image when it is neither bundled nor cached: the address of a folder written by
   * `npm run vm:package`. Empty: none (the image is built locally where that is possible).
   */
  imageUrl: z
    .string({ error: 'must be a URL (or empty)' })
    .refine((u) => u === '' || (/^https?:\/\//i.test(u) && URL.canParse(u)), 'must be an http(s) URL of a folder written by `npm run vm:package`, or empty'),
  /**
   * The engine's daemon.json additions (Settings > Docker Engine): insecure registries, mirrors, log defaults,
   * features. Checked key by key (engine-config.ts); applied when the VM restarts.
   */
  engineConfig: z
    .record(z.string(), z.unknown(), { error: 'must be a JSON object of dockerd settings' })
    .superRefine((config, ctx) => {
      for (const p of engineConfigProblems(config)) ctx.addIssue({ code: 'custom', path: p.key.split('.'), message: p.message });
    }),
});

export type Settings = z.infer<typeof settingsSchema>;
export const settingsPatchSchema = settingsSchema.partial().strict();
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;
