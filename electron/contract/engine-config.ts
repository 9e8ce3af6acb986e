/**
 * The engine's own settings (dockerd's daemon.json), as Docker Desktop's "Docker Engine" pane offers them: the
 * user's JSON object, merged into the daemon.json the guest writes at boot (vm-images/guest/rootfs/usr/lib/berth
 * /lib.sh) and applied by restarting the VM. Node-free: the Settings view checks the text as the agent will.
 *
 * Strict on purpose: a typo (`insecure-registry`) that dockerd would refuse at boot means an engine that does not
 * start, so every key must be one Berth knows, with its type; keys that would cut Berth off from its own engine
 * are refused with the reason.
 */
import { z } from 'zod';

/** Keys Berth sets itself, and why the user may not: each would leave the engine unreachable or broken. */
export const BERTH_OWNED_ENGINE_KEYS: Record<string, string> = {
  hosts: 'Berth reaches the engine on /var/run/docker.sock through its SSH tunnel; other sockets would not be forwarded',
  tls: 'the engine is reached over SSH, never over TCP',
  tlsverify: 'the engine is reached over SSH, never over TCP',
  tlscacert: 'the engine is reached over SSH, never over TCP',
  tlscert: 'the engine is reached over SSH, never over TCP',
  tlskey: 'the engine is reached over SSH, never over TCP',
  containerd: "Berth starts and supervises the VM's containerd",
  'data-root': "images and containers live on Berth's data disk; another root would lose them at the next boot",
  'exec-root': "Berth's guest keeps the engine's runtime state in /var/run/docker",
  pidfile: "Berth's guest supervises dockerd by its pidfile",
  'storage-driver': 'the data disk is formatted for overlay2',
  'storage-opts': 'the data disk is formatted for overlay2',
  'exec-opts': "the guest's cgroup setup is fixed (cgroup v2, no systemd driver under busybox init)",
  iptables: "Berth's guest writes its own firewall rules",
  'ip-forward': "Berth's guest enables forwarding itself",
  'userns-remap': 'existing images and volumes on the data disk would become unreadable',
};

const registryHost = z
  .string()
  .regex(/^[A-Za-z0-9.-]+(:\d{1,5})?$|^[0-9.]+\/\d{1,2}$/, 'must be a registry as HOST[:PORT] or a CIDR such as 10.0.0.0/8 (no scheme)');
const httpUrl = z.string().regex(/^https?:\/\/[^\s/]+(\/\S*)?$/, 'must be an http(s):// URL');
const stringList = (item: z.ZodString = z.string()) => z.array(item, { error: 'must be a list of strings' });
const bool = z.boolean({ error: 'must be true or false' });
const positiveInt = z.number({ error: 'must be a number' }).int('must be a whole number').min(1, 'must be at least 1');

export const engineConfigSchema = z
  .object({
    'insecure-registries': stringList(registryHost),
    'registry-mirrors': stringList(httpUrl),
    'allow-nondistributable-artifacts': stringList(registryHost),
    'log-driver': z.string({ error: 'must be a log driver name such as json-file or local' }).min(1),
    'log-opts': z.record(z.string(), z.string({ error: 'must be a string (dockerd takes "3", not 3)' }), { error: 'must be an object of strings' }),
    'log-level': z.enum(['debug', 'info', 'warn', 'error', 'fatal'], { error: 'must be debug, info, warn, error or fatal' }),
    features: z.record(z.string(), bool, { error: 'must be an object of true/false flags' }),
    'default-address-pools': z.array(
      z.object({ base: z.string().regex(/^[0-9.]+\/\d{1,2}$/, 'must be a CIDR such as 172.30.0.0/16'), size: z.number().int().min(8).max(30) }).strict(),
      { error: 'must be a list of {"base": CIDR, "size": prefix length}' },
    ),
    bip: z.string().regex(/^[0-9.]+\/\d{1,2}$/, 'must be the bridge address in CIDR form such as 172.26.0.1/16'),
    mtu: positiveInt,
    dns: stringList(z.string().regex(/^[0-9a-fA-F.:]+$/, 'must be IP addresses')),
    'dns-search': stringList(),
    'dns-opts': stringList(),
    debug: bool,
    experimental: bool,
    'live-restore': bool,
    ipv6: bool,
    'fixed-cidr-v6': z.string(),
    'default-shm-size': z.string().regex(/^\d+[bkmg]?$/i, 'must be a size such as 64m'),
    'shutdown-timeout': positiveInt,
    'max-concurrent-downloads': positiveInt,
    'max-concurrent-uploads': positiveInt,
    'max-download-attempts': positiveInt,
    labels: stringList(),
    'default-ulimits': z.record(z.string(), z.object({ Name: z.string(), Hard: z.number().int(), Soft: z.number().int() }).strict()),
    builder: z.record(z.string(), z.unknown(), { error: 'must be an object' }),
    'default-runtime': z.string(),
    'no-new-privileges': bool,
    icc: bool,
    'userland-proxy': bool,
  })
  .partial()
  .strict();

export type EngineConfig = z.infer<typeof engineConfigSchema>;

export interface EngineConfigProblem {
  /** The key (a dotted path inside it), e.g. `insecure-registries.0`. */
  key: string;
  message: string;
}

/** Every problem at once, each naming its key. Berth's own keys are named with why they are Berth's. */
export function engineConfigProblems(input: unknown): EngineConfigProblem[] {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return [{ key: '(root)', message: 'must be a JSON object such as {"insecure-registries": ["10.0.2.2:5001"]}' }];
  }
  const problems: EngineConfigProblem[] = [];
  const rest: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) {
    if (key in BERTH_OWNED_ENGINE_KEYS) problems.push({ key, message: `is set by Berth: ${BERTH_OWNED_ENGINE_KEYS[key]}` });
    else rest[key] = value;
  }
  const parsed = engineConfigSchema.safeParse(rest);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) problems.push({ key, message: 'is not an engine setting Berth knows (check its spelling against dockerd\'s daemon.json reference)' });
      } else {
        problems.push({ key: issue.path.join('.') || '(root)', message: issue.message });
      }
    }
  }
  return problems;
}
