/**
 * The Run dialog's form and the `containers.run` params. One module so the dialog and the agent judge a request by
 * the same rules: the dialog explains a bad field before anything is sent, the agent refuses the same input.
 * No Node imports (the renderer bundles it).
 */
import { z } from 'zod';

export const restartPolicies = ['no', 'on-failure', 'unless-stopped', 'always'] as const;

const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const ENV_KEY_RE = /^[A-Za-z_][A-Za-z0-9_.]*$/;
const port = z.number().int().min(1, 'ports are 1-65535').max(65535, 'ports are 1-65535');

export const runParams = z
  .object({
    image: z.string().min(1, 'choose an image').max(512),
    name: z.string().regex(NAME_RE, 'starts with a letter or digit; then letters, digits, _ . -').max(128).optional(),
    ports: z
      .array(z.object({ host: port.optional(), container: port, protocol: z.enum(['tcp', 'udp']).default('tcp') }).strict())
      .max(100)
      .default([])
      .refine((ps) => new Set(ps.filter((p) => p.host).map((p) => `${p.host}/${p.protocol}`)).size === ps.filter((p) => p.host).length, 'a host port is published twice'),
    env: z
      .array(z.object({ key: z.string().regex(ENV_KEY_RE, 'names are letters, digits and _'), value: z.string() }).strict())
      .max(500)
      .default([]),
    mounts: z
      .array(
        z
          .object({
            source: z.string().min(1),
            target: z.string().startsWith('/', 'the container path must be absolute'),
            readOnly: z.boolean().default(false),
          })
          .strict(),
      )
      .max(100)
      .default([]),
    command: z.array(z.string()).max(1000).optional(),
    restart: z.enum(restartPolicies).default('no'),
  })
  .strict();

export type RunParams = z.input<typeof runParams>;

export interface RunForm {
  image: string;
  name: string;
  /** One mapping a line: `8080:80`, `80`, `127.0.0.1:8080:80/udp` is not supported (host IP is always loopback). */
  ports: string;
  /** One `KEY=value` a line. */
  env: string;
  /** One `source:/container/path[:ro]` a line; a source without `/` is a named volume. */
  volumes: string;
  command: string;
  restart: (typeof restartPolicies)[number];
}

export type RunFormErrors = Partial<Record<keyof RunForm, string>>;

export const emptyRunForm: RunForm = { image: '', name: '', ports: '', env: '', volumes: '', command: '', restart: 'no' };

function lines(text: string): { text: string; n: number }[] {
  return text
    .split('\n')
    .map((t, i) => ({ text: t.trim(), n: i + 1 }))
    .filter((l) => l.text !== '');
}

function parsePort(text: string): number | null {
  if (!/^\d{1,5}$/.test(text)) return null;
  const n = Number(text);
  return n >= 1 && n <= 65535 ? n : null;
}

/** Splits a command line the way a shell would for plain words and quotes (no expansion). */
export function splitCommand(text: string): string[] | null {
  const out: string[] = [];
  let cur = '';
  let quote: '"' | "'" | null = null;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = null;
      else if (c === '\\' && quote === '"' && i + 1 < text.length) cur += text[++i];
      else cur += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < text.length) {
      cur += text[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) out.push(cur);
      cur = '';
      inWord = false;
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (quote) return null;
  if (inWord) out.push(cur);
  return out;
}

/**
 * Turns the dialog's text fields into run params, or says for each bad field why (with the line number).
 * `existingNames` are the names in use: a duplicate is caught here rather than by a 409 from the engine.
 */
export function parseRunForm(
  form: RunForm,
  existingNames: ReadonlySet<string> = new Set(),
): { ok: true; params: z.output<typeof runParams> } | { ok: false; errors: RunFormErrors } {
  const errors: RunFormErrors = {};
  const image = form.image.trim();
  if (!image) errors.image = 'Choose an image to run.';
  else if (/\s/.test(image)) errors.image = 'An image reference has no spaces.';

  const name = form.name.trim();
  if (name && !NAME_RE.test(name)) errors.name = 'Use letters, digits, _ . - (starting with a letter or digit).';
  else if (name && existingNames.has(name)) errors.name = `A container named "${name}" already exists.`;

  const ports: { host?: number; container: number; protocol: 'tcp' | 'udp' }[] = [];
  const seen = new Set<string>();
  for (const l of lines(form.ports)) {
    const m = /^(?:(\S+):)?([^:/]+)(?:\/(tcp|udp))?$/.exec(l.text);
    const host = m?.[1] !== undefined ? parsePort(m[1]) : undefined;
    const container = m ? parsePort(m[2]) : null;
    if (!m || container === null || host === null) {
      errors.ports = `Line ${l.n}: "${l.text}" is not HOST:CONTAINER (ports 1-65535, optional /tcp or /udp).`;
      break;
    }
    const protocol = (m[3] ?? 'tcp') as 'tcp' | 'udp';
    if (host !== undefined) {
      const key = `${host}/${protocol}`;
      if (seen.has(key)) {
        errors.ports = `Line ${l.n}: host port ${host} is already published above.`;
        break;
      }
      seen.add(key);
    }
    ports.push({ ...(host !== undefined ? { host } : {}), container, protocol });
  }

  const env: { key: string; value: string }[] = [];
  for (const l of lines(form.env)) {
    const eq = l.text.indexOf('=');
    const key = eq < 0 ? l.text : l.text.slice(0, eq);
    if (eq < 0 || !ENV_KEY_RE.test(key)) {
      errors.env = `Line ${l.n}: "${l.text}" is not KEY=value (the name is letters, digits and _).`;
      break;
    }
    env.push({ key, value: l.text.slice(eq + 1) });
  }

  const mounts: { source: string; target: string; readOnly: boolean }[] = [];
  for (const l of lines(form.volumes)) {
    const parts = l.text.split(':');
    const ro = parts.length === 3 && (parts[2] === 'ro' || parts[2] === 'rw');
    if (!(parts.length === 2 || ro) || !parts[0] || !parts[1].startsWith('/')) {
      errors.volumes = `Line ${l.n}: "${l.text}" is not SOURCE:/container/path[:ro].`;
      break;
    }
    mounts.push({ source: parts[0], target: parts[1], readOnly: parts[2] === 'ro' });
  }

  let command: string[] | undefined;
  if (form.command.trim()) {
    const words = splitCommand(form.command.trim());
    if (!words) errors.command = 'A quote is not closed.';
    else command = words;
  }

  if (Object.keys(errors).length) return { ok: false, errors };
  const parsed = runParams.safeParse({
    image,
    ...(name ? { name } : {}),
    ports,
    env,
    mounts,
    ...(command ? { command } : {}),
    restart: form.restart,
  });
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const field = (first.path[0] === 'mounts' ? 'volumes' : first.path[0]) as keyof RunForm;
    return { ok: false, errors: { [field in emptyRunForm ? field : 'image']: first.message } };
  }
  return { ok: true, params: parsed.data };
}
