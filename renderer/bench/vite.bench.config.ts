import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

// The bench page: the real views, built like the app (production React), into dist/bench.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  plugins: [react()],
  logLevel: 'warn',
  build: { outDir: fileURLToPath(new URL('../../dist/bench', import.meta.url)), emptyOutDir: true, chunkSizeWarningLimit: 2000 },
});
