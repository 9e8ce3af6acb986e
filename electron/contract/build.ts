/**
 * images.build / images.tag / images.push: params (strict zod) and the wire types of their streams, plus the
 * parsing the Build dialog and the agent share (KEY=VALUE build args, image references). Node-free.
 */
import { z } from 'zod';
import type { PullProgress } from './model';

/** An image reference as `docker tag`/`docker push` take it: [host[:port]/]path[:tag], lower-case path. */
const REF = /^(?:[a-zA-Z0-9.-]+(?::\d+)?\/)?[a-z0-9]+(?:[._-]+[a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-]+[a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?$/;
const imageRef = z.string().min(1).max(255).regex(REF, 'not an image name (e.g. team/app:1 or 10.0.2.2:5000/app:dev)');
/** Build-arg names as the Dockerfile's ARG accepts them. */
const ARG_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const buildArg = z.object({ name: z.string().regex(ARG_NAME, 'not a build-arg name').max(256), value: z.string().max(65536) }).strict();
export type BuildArg = z.infer<typeof buildArg>;

export const buildParams = z
  .object({
    /** An absolute host folder: packed on the host and sent to the engine (it need not be shared with the VM). */
    folder: z.string().min(1).max(4096),
    /** Relative to the folder. */
    dockerfile: z.string().min(1).max(1024).default('Dockerfile'),
    /** A stage name of a multi-stage Dockerfile. */
    target: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'not a stage name').max(128).optional(),
    buildArgs: z.array(buildArg).max(256).default([]),
    tags: z.array(imageRef).max(32).default([]),
    noCache: z.boolean().default(false),
  })
  .strict();
export type BuildParams = z.input<typeof buildParams>;

export const tagParams = z.object({ id: z.string().min(1).max(255), ref: imageRef }).strict();
/** A tagged name to push; without a tag the engine pushes every tag of that repository. */
export const pushParams = z.object({ ref: imageRef }).strict();

/** Which builder runs a build: BuildKit where the engine has it, else the classic one. */
export type BuilderName = 'BuildKit' | 'classic';

/**
 * What a build reports as it goes; `step` is 0 for what comes before the first step. The classic builder's
 * steps run one after another ("Step N/M", so `total` is known); BuildKit's may run in parallel, are numbered
 * as they start and end with `step-done` (or `failed`).
 */
export type BuildEvent =
  | { kind: 'builder'; name: BuilderName }
  | { kind: 'step'; step: number; total?: number; instruction: string }
  | { kind: 'step-done'; step: number; cached: boolean }
  | { kind: 'output'; step: number; text: string }
  | { kind: 'failed'; step: number; instruction?: string; message: string }
  | { kind: 'built'; imageId: string; tags: string[] };

export interface BuildBatch {
  events: BuildEvent[];
  /** Output lines dropped because the client was slower than the build. */
  dropped?: number;
}

/** Per-layer progress like a pull's; `digest` arrives once the registry has the manifest. */
export interface PushBatch {
  updates: PullProgress[];
  digest?: string;
}

/**
 * KEY=VALUE lines, in order (blank lines and # comments skipped; a bare KEY is an error here, because the agent has no
 * environment of the user's to take it from). Every bad line is reported with its number.
 */
export function parseBuildArgs(text: string): { args: BuildArg[]; errors: string[] } {
  const byName = new Map<string, string>();
  const errors: string[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const eq = line.indexOf('=');
    const key = (eq < 0 ? line : line.slice(0, eq)).trim();
    if (eq < 0) errors.push(`Line ${i + 1}: "${key}" has no value; write ${key}=VALUE`);
    else if (!ARG_NAME.test(key)) errors.push(`Line ${i + 1}: "${key}" is not a build-arg name (letters, digits, _)`);
    else byName.set(key, line.slice(eq + 1));
  });
  // A name given twice: the later line wins, as with repeated --build-arg.
  return { args: [...byName].map(([name, value]) => ({ name, value })), errors };
}

/** Tags separated by spaces, commas or lines; each one checked as an image name. */
export function parseTags(text: string): { tags: string[]; errors: string[] } {
  const tags = text.split(/[\s,]+/).filter(Boolean);
  const errors = tags.filter((t) => !REF.test(t)).map((t) => `"${t}" is not an image name (e.g. team/app:1)`);
  return { tags, errors };
}

/** Splits a reference into repository and tag (a colon after the last slash starts the tag; host:port is not one). */
export function splitRef(ref: string): { repo: string; tag?: string } {
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  return colon > slash ? { repo: ref.slice(0, colon), tag: ref.slice(colon + 1) } : { repo: ref };
}
