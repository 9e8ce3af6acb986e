import os from 'node:os';
import { z } from 'zod';
import { BerthError } from '../base/errors';

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
});

export type Settings = z.infer<typeof settingsSchema>;
export const settingsPatchSchema = settingsSchema.partial().strict();
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;

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
  };
}

export interface FieldProblem {
  field: string;
  message: string;
}

/** Every problem at once, each naming its field, so a user fixes a file in one pass. */
export function settingsProblems(input: unknown, host: HostLimits = hostLimits()): FieldProblem[] {
  const parsed = settingsSchema.strict().safeParse(input);
  if (!parsed.success) {
    return parsed.error.issues.map((i) => ({
      field: i.path.length ? i.path.join('.') : ((i as { keys?: string[] }).keys?.join(', ') ?? '(root)'),
      message: i.code === 'unrecognized_keys' ? 'is not a known setting' : i.message,
    }));
  }
  const s = parsed.data;
  const problems: FieldProblem[] = [];
  if (s.cpus > host.cpus) problems.push({ field: 'cpus', message: `is ${s.cpus} but this host has ${host.cpus} CPUs` });
  // The host itself and the agent need room: a VM as large as RAM would be killed by the OOM killer.
  if (s.memoryMiB > host.memoryMiB - 256) {
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

export function validateSettings(input: unknown, host: HostLimits = hostLimits()): Settings {
  const problems = settingsProblems(input, host);
  if (problems.length) {
    throw new BerthError(
      'bad-request',
      `Invalid settings: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}`,
      `Fix ${problems.map((p) => p.field).join(', ')} (e.g. \`berth settings set cpus=2\`); nothing was saved.`,
    );
  }
  return input as Settings;
}
