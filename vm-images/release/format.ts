import { ARTIFACTS, type Manifest } from '../builder/build-image';
import type { GuestArch, ImageVariant } from '../types';
import { type Compression, isCompression } from './codec';
import { ImageReleaseError } from './errors';

/** Bumped when a release written by this code could not be read by an older Berth. */
export const RELEASE_FORMAT = 1;
/** Tells a release's manifest.json apart from an unpacked image's (both are called manifest.json). */
export const RELEASE_KIND = 'berth-image-release';
export const RELEASE_MANIFEST = 'manifest.json';

export type ArtifactName = keyof typeof ARTIFACTS;
export const ARTIFACT_NAMES = Object.keys(ARTIFACTS) as ArtifactName[];

export interface FileDigest {
  file: string;
  bytes: number;
  sha256: string;
}

/** One file of the image: as it is used (file, bytes, sha256) and as it is shipped (compressed). */
export interface ReleaseArtifact extends FileDigest {
  name: ArtifactName;
  compression: Compression;
  compressed: FileDigest;
}

/** manifest.json of a release folder, as `npm run vm:package` writes it. */
export interface ReleaseManifest {
  kind: typeof RELEASE_KIND;
  format: number;
  berthVersion: string;
  hash: string;
  arch: GuestArch;
  variant: ImageVariant;
  createdAt: string;
  artifacts: ReleaseArtifact[];
  /** The image's own manifest, written verbatim as manifest.json of the unpacked image. */
  image: Manifest;
}

export interface ImageIdentity {
  hash: string;
  arch: GuestArch;
  variant: ImageVariant;
}

export function isReleaseManifest(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === RELEASE_KIND;
}

// A file name from a manifest becomes part of a local path and a URL: nothing that could climb out of either.
const SAFE_FILE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const SHA256 = /^[0-9a-f]{64}$/;

/** Checks everything the installer relies on, so a damaged or hostile manifest fails here with its reason. */
export function parseReleaseManifest(value: unknown, where: string): ReleaseManifest {
  const bad = (why: string): never => {
    throw new ImageReleaseError('bad-release', `The image release at ${where} is unusable: ${why}`,
      'Point BERTH_IMAGE_URL, the imageUrl setting or BERTH_IMAGE_DIR at a folder written by `npm run vm:package`.');
  };
  if (!isReleaseManifest(value)) bad(`manifest.json is not a Berth image release (no "kind": "${RELEASE_KIND}")`);
  const m = value as ReleaseManifest;
  if (typeof m.format !== 'number' || m.format > RELEASE_FORMAT) {
    bad(`format ${String(m.format)} is newer than this Berth reads (${RELEASE_FORMAT}); update Berth`);
  }
  for (const key of ['berthVersion', 'hash', 'arch', 'variant', 'createdAt'] as const) {
    if (typeof m[key] !== 'string') bad(`"${key}" is missing`);
  }
  if (!Array.isArray(m.artifacts)) bad('"artifacts" is missing');
  const names = m.artifacts.map((a) => a?.name).sort();
  if (JSON.stringify(names) !== JSON.stringify([...ARTIFACT_NAMES].sort())) {
    bad(`artifacts are ${JSON.stringify(names)}, expected ${JSON.stringify(ARTIFACT_NAMES)}`);
  }
  for (const a of m.artifacts) {
    if (a.file !== ARTIFACTS[a.name]) bad(`${a.name} is called "${a.file}", expected "${ARTIFACTS[a.name]}"`);
    if (!isCompression(a.compression)) bad(`${a.name} uses compression "${String(a.compression)}"`);
    checkDigest(a, `${a.name}`, bad);
    checkDigest(a.compressed, `${a.name} (compressed)`, bad);
    if (!SAFE_FILE.test(a.compressed.file)) bad(`${a.name} has an unsafe file name "${a.compressed.file}"`);
    const listed = m.image?.artifacts?.[a.name];
    if (listed?.file !== a.file || listed.bytes !== a.bytes || listed.sha256 !== a.sha256) {
      bad(`${a.name} differs between the release and the image manifest it carries`);
    }
  }
  if (m.image?.hash !== m.hash || m.image.arch !== m.arch || m.image.variant !== m.variant) {
    bad('the image manifest it carries is for another image');
  }
  return m;
}

function checkDigest(d: FileDigest | undefined, what: string, bad: (why: string) => never): void {
  if (typeof d !== 'object' || d === null) bad(`${what} is missing`);
  if (!Number.isSafeInteger(d!.bytes) || d!.bytes < 0) bad(`${what} has no valid size`);
  if (typeof d!.sha256 !== 'string' || !SHA256.test(d!.sha256)) bad(`${what} has no valid sha256`);
}

/** Refuses an image made from another recipe: booting it would break the host/guest contract silently. */
export function checkIdentity(found: ImageIdentity, want: ImageIdentity, where: string): void {
  if (found.hash === want.hash && found.arch === want.arch && found.variant === want.variant) return;
  throw new ImageReleaseError('mismatch',
    `The image at ${where} is recipe ${found.hash} (${found.arch}/${found.variant}), ` +
      `but this Berth needs recipe ${want.hash} (${want.arch}/${want.variant})`,
    'Use the release packaged from the same Berth version (`npm run vm:package` on that commit).');
}
