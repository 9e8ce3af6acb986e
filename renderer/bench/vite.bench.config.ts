import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

// The bench page: the real views, built like the app (production React), into dist/bench (or BERTH_BENCH_OUT). Unminified when
// traced, so the profile names our functions.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  plugins: [react()],
  logLevel: 'warn',
  build: {
    minify: process.env.BERTH_BENCH_TRACE !== '1',
    // serve-bench.ts names it (the e2e fixture builds beside a running bench).
    outDir: process.env.BERTH_BENCH_OUT ?? fileURLToPath(new URL('../../dist/bench', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
  },
});
