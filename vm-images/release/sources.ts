import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { ImageReleaseError, errorMessage } from './errors';
import { RELEASE_MANIFEST } from './format';

/** Where a release's files come from: a web folder or a folder on disk (an image bundled with the app). */
export interface ReleaseSource {
  /** Said in messages: the URL or the path. */
  readonly where: string;
  /** The stage name progress is reported under: `download` or `unpack`. */
  readonly stage: string;
  readManifest(): Promise<unknown>;
  open(file: string): Promise<AsyncIterable<Buffer>>;
}

// A manifest is a few KB; anything much larger is not one, and is not worth holding in memory.
const MAX_MANIFEST_BYTES = 1 << 20;

export function httpReleaseSource(url: string): ReleaseSource {
  let base: URL;
  try {
    base = new URL(url.endsWith('/') ? url : `${url}/`);
  } catch {
    throw new ImageReleaseError('bad-release', `The image URL "${url}" is not a URL`,
      'Set BERTH_IMAGE_URL or the imageUrl setting to the http(s) address of a folder written by `npm run vm:package`.');
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') {
    throw new ImageReleaseError('bad-release', `The image URL "${url}" is not http or https`,
      'For a release on this disk, set BERTH_IMAGE_DIR to its folder instead.');
  }
  const where = base.href.replace(/\/$/, '');
  const get = async (file: string): Promise<Response> => {
    const target = new URL(encodeURIComponent(file), base).href;
    let res: Response;
    try {
      res = await fetch(target, { redirect: 'follow' });
    } catch (err) {
      throw new ImageReleaseError('download', `GET ${target} failed: ${errorMessage(err)}`, undefined, { cause: err });
    }
    if (!res.ok || !res.body) {
      await res.body?.cancel().catch(() => {});
      throw new ImageReleaseError('download', `GET ${target} answered HTTP ${res.status} ${res.statusText}`.trimEnd());
    }
    return res;
  };
  return {
    where,
    stage: 'download',
    async readManifest() {
      const res = await get(RELEASE_MANIFEST);
      const text = await res.text();
      if (text.length > MAX_MANIFEST_BYTES) throw new ImageReleaseError('bad-release', `${where}/${RELEASE_MANIFEST} is not a manifest (${text.length} bytes)`);
      return parseJson(text, `${where}/${RELEASE_MANIFEST}`);
    },
    async open(file) {
      const res = await get(file);
      return Readable.fromWeb(res.body as unknown as NodeReadableStream<Uint8Array>);
    },
  };
}

export function dirReleaseSource(dir: string): ReleaseSource {
  return {
    where: dir,
    stage: 'unpack',
    async readManifest() {
      const file = path.join(dir, RELEASE_MANIFEST);
      return parseJson(await fs.promises.readFile(file, 'utf8'), file);
    },
    async open(file) {
      return fs.createReadStream(path.join(dir, file));
    },
  };
}

function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new ImageReleaseError('bad-release', `${where} is not valid JSON: ${errorMessage(err)}`);
  }
}
