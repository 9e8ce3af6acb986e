import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * Writes build-inputs.json beside the bundle: every file of ours the bundle was made from (wherever it lives:
 * renderer/, electron/contract/, ...). electron/cli/renderer-build.ts rebuilds when any of them is newer.
 */
function recordInputs(): Plugin {
  return {
    name: 'berth-record-inputs',
    generateBundle() {
      const ours = [...this.getModuleIds()]
        .map((id) => id.split('?')[0])
        .filter((id) => path.isAbsolute(id) && id.startsWith(ROOT) && !id.includes(`${path.sep}node_modules${path.sep}`))
        .map((id) => path.relative(ROOT, id));
      const inputs = [...new Set([...ours, 'renderer/index.html', 'renderer/vite.config.ts', 'package-lock.json'])].sort();
      this.emitFile({ type: 'asset', fileName: 'build-inputs.json', source: JSON.stringify(inputs, null, 1) + '\n' });
    },
  };
}

// The agent serves dist/renderer at / (browser mode) and Electron loads it from app://: relative asset URLs work in both.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  plugins: [react(), recordInputs()],
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    assetsDir: 'assets',
    sourcemap: true,
    chunkSizeWarningLimit: 1500,
  },
});
