import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

// Fast tests: no VM. Files ending in .vm.test.ts boot the real VM and run in their own config.
export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  plugins: [react()],
  test: {
    include: ['electron/**/*.test.ts', 'renderer/**/*.test.{ts,tsx}', 'vm-images/**/*.test.ts'],
    exclude: ['**/*.vm.test.ts', '**/node_modules/**'],
    environment: 'node',
    testTimeout: 15_000,
  },
});
