import os from 'node:os';
import { BerthError } from '../base/errors';
import { settingsSchema, type Settings } from '../contract/settings';

export interface HostLimits {
  cpus: number;
  memoryMiB: number;
}

export function hostLimits(): HostLimits {
  return { cpus: os.availableParallelism?.() ?? os.cpus().length, memoryMiB: Math.floor(os.totalmem() / 2 ** 20) };
}

export function defaultSettings(host: HostLimits = hostLimits()): Settings {
  return {
    cpus: Math.max(1, Math.min(4, host.cpus)),
    memoryMiB: Math.max(512, Math.min(4096, Math.floor(host.memoryMiB / 4))),
    diskGiB: 64,
    autostart: false,
    autoRestart: true,
    accel: 'auto',
    hypervisor: 'qemu',
    dockerContext: true,
    shares: [os.homedir()],
    exposePortsOnAllInterfaces: false,
    imageUrl: '',
    resourceSaverMinutes: 5,
    engineConfig: {},
  };
}

export interface FieldProblem {
  field: string;
  message: string;
}

/** Every problem at once, each naming its field, so a user fixes a file in one pass. */
export function settingsProblems(input: unknown, host: HostLimits = hostLimits()): FieldProblem[] {
  const parsed = settingsSchema.strict().safeParse(input);
  const problems: FieldProblem[] = parsed.success
    ? []
    : parsed.error.issues.map((i) => ({
        field: i.path.length ? i.path.join('.') : ((i as { keys?: string[] }).keys?.join(', ') ?? '(root)'),
        message: i.code === 'unrecognized_keys' ? 'is not a known setting' : i.message,
      }));
  // The host's limits too, for every field whose shape is right, even when another field is wrong.
  const s = (input ?? {}) as Partial<Record<keyof Settings, unknown>>;
  const named = (field: string) => problems.some((p) => p.field === field);
  if (typeof s.cpus === 'number' && !named('cpus') && s.cpus > host.cpus) {
    problems.push({ field: 'cpus', message: `is ${s.cpus} but this host has ${host.cpus} CPUs` });
  }
  // The host itself and the agent need room: a VM as large as RAM would be killed by the OOM killer.
  if (typeof s.memoryMiB === 'number' && !named('memoryMiB') && s.memoryMiB > host.memoryMiB - 256) {
    problems.push({
      field: 'memoryMiB',
      message: `is ${s.memoryMiB} MiB but this host has ${host.memoryMiB} MiB of RAM (leave at least 256 MiB)`,
    });
  }
  if (s.hypervisor === 'vfkit' && process.platform !== 'darwin') {
    problems.push({ field: 'hypervisor', message: 'vfkit runs only on macOS' });
  }
  return problems;
}

/** An example of a good value, per field, for the hint of a bad one. */
const EXAMPLES: Record<keyof Settings, string> = {
  cpus: 'cpus=2',
  memoryMiB: 'memoryMiB=4096',
  diskGiB: 'diskGiB=64',
  autostart: 'autostart=true',
  autoRestart: 'autoRestart=true',
  accel: 'accel=auto',
  hypervisor: 'hypervisor=qemu',
  dockerContext: 'dockerContext=true',
  shares: `shares='["${os.homedir()}"]'`,
  exposePortsOnAllInterfaces: 'exposePortsOnAllInterfaces=false',
  imageUrl: 'imageUrl=https://example.com/berth-image/',
  resourceSaverMinutes: 'resourceSaverMinutes=5',
  engineConfig: `engineConfig='{"insecure-registries": ["10.0.2.2:5001"]}'`,
};

/** `berth settings set ...` for the bad fields that have an example (unknown fields have none). */
export function exampleFor(fields: string[]): string {
  // A nested field (engineConfig.hosts, shares.0) takes its setting's example.
  const tops = [...new Set(fields.map((f) => f.split('.')[0]))];
  const known = tops.filter((f): f is keyof Settings => f in EXAMPLES).map((f) => EXAMPLES[f]);
  return known.length ? `e.g. \`berth settings set ${known.join(' ')}\`` : 'remove the unknown keys';
}

/** A settings file or patch must be a JSON object; anything else is named, never taken as the defaults. */
export function requireSettingsObject(value: unknown, what: string): Record<string, unknown> {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  const shown = Array.isArray(value) ? 'a list' : value === null ? 'null' : `a ${typeof value} (${JSON.stringify(value)?.slice(0, 40)})`;
  throw new BerthError('bad-request', `${what} is not a settings object: it holds ${shown}`, 'It must be a JSON object such as {"cpus": 2}; delete the file to restore the defaults.');
}

export function validateSettings(input: unknown, host: HostLimits = hostLimits()): Settings {
  const problems = settingsProblems(input, host);
  if (problems.length) {
    throw new BerthError(
      'bad-request',
      `Invalid settings: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}`,
      `Fix ${problems.map((p) => p.field).join(', ')} (${exampleFor(problems.map((p) => p.field))}); nothing was saved.`,
    );
  }
  return input as Settings;
}
