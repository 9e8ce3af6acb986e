import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

// Slow tests against the real QEMU VM, each file with its own booted VM (its tests share it). Two files at a
// time: single-threaded TCG (vm-images/tcg.ts) keeps each VM's vCPUs on one host thread, so two VMs use the two
// cores a CI machine has, and the tier takes about half as long. Files must not share fixed host resources: each
// picks free host ports (the local registry on :5000 is used by one file only).
export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    include: ['electron/**/*.vm.test.ts', 'vm-images/**/*.vm.test.ts'],
    environment: 'node',
    fileParallelism: true,
    maxWorkers: 2,
    testTimeout: 180_000,
    hookTimeout: 600_000,
  },
});
