// `npm run vm:build [-- --variant systemd|all] [--arch amd64|arm64]`: builds (or finds cached) guest images.
import { parseArgs } from 'node:util';
import { ensureImage, imageHash, type GuestArch, type ImageVariant } from './index';

const { values } = parseArgs({
  options: { arch: { type: 'string', default: 'amd64' }, variant: { type: 'string', default: 'berth' } },
});
const arch = values.arch as GuestArch;
const variants: ImageVariant[] = values.variant === 'all' ? ['berth', 'systemd'] : [values.variant as ImageVariant];

for (const variant of variants) {
  const started = Date.now();
  const hash = imageHash({ arch, variant });
  console.log(`[vm:build] ${variant}/${arch} recipe ${hash}`);
  const image = await ensureImage({
    arch,
    variant,
    onProgress: (stage, detail) =>
      console.log(`[vm:build] ${((Date.now() - started) / 1000).toFixed(1).padStart(6)}s ${stage}${detail ? `: ${detail}` : ''}`),
  });
  console.log(`[vm:build] ${variant} ready in ${((Date.now() - started) / 1000).toFixed(1)}s: ${image.dir}`);
}
