// `npm run vm:package -- --out DIR [--arch amd64|arm64] [--variant berth|systemd] [--compression br|gzip]`:
// finds or builds the image, then writes a release of it (manifest.json + compressed artifacts) into DIR.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ensureImage, imageHash, packageRelease, type GuestArch, type ImageVariant } from './index';
import { isCompression } from './release/codec';
import { VM_IMAGES_DIR } from './recipe';

const { values } = parseArgs({
  options: {
    out: { type: 'string' },
    arch: { type: 'string', default: 'amd64' },
    variant: { type: 'string', default: 'berth' },
    compression: { type: 'string' },
  },
});
if (!values.out) {
  console.error('usage: npm run vm:package -- --out DIR [--arch amd64|arm64] [--variant berth|systemd] [--compression br|gzip]');
  process.exit(2);
}
if (values.compression !== undefined && !isCompression(values.compression)) {
  console.error(`--compression must be br or gzip, not ${values.compression}`);
  process.exit(2);
}
const arch = values.arch as GuestArch;
const variant = values.variant as ImageVariant;
const outDir = path.resolve(values.out);
const started = Date.now();
// A terminal log wants a line per 10% of each file, not the few per second a status bar gets.
const lastTenth = new Map<string, number>();
const log = (stage: string, detail?: string): void => {
  const progress = detail?.match(/^(\S+) .* \((\d+)%\)$/);
  if (progress) {
    const tenth = Math.floor(Number(progress[2]) / 10);
    if (lastTenth.get(`${stage} ${progress[1]}`) === tenth) return;
    lastTenth.set(`${stage} ${progress[1]}`, tenth);
  }
  console.log(`[vm:package] ${((Date.now() - started) / 1000).toFixed(1).padStart(6)}s ${stage}${detail ? `: ${detail}` : ''}`);
};
const { version } = JSON.parse(fs.readFileSync(path.join(VM_IMAGES_DIR, '..', 'package.json'), 'utf8')) as { version: string };

log('image', `${variant}/${arch} recipe ${imageHash({ arch, variant })}`);
const image = await ensureImage({ arch, variant, onProgress: log });
const packagingStarted = Date.now();
const manifest = await packageRelease({
  image, outDir, berthVersion: version, compression: values.compression as 'br' | 'gzip' | undefined, onProgress: log,
});
const plain = manifest.artifacts.reduce((n, a) => n + a.bytes, 0);
const packed = manifest.artifacts.reduce((n, a) => n + a.compressed.bytes, 0);
log('done', `${outDir}: ${(packed / 1e6).toFixed(1)} MB (${(plain / 1e6).toFixed(1)} MB unpacked), ` +
  `packaged in ${((Date.now() - packagingStarted) / 1000).toFixed(1)}s`);
