import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

// Slow tests against the real QEMU VM. One file at a time: they share the machine's two cores and,
// where a suite says so, one booted VM.
export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    include: ['electron/**/*.vm.test.ts', 'vm-images/**/*.vm.test.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 600_000,
  },
});
