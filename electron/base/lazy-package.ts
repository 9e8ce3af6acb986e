import { createRequire } from 'node:module';

/**
 * A CommonJS package loaded on its first use instead of when the module that needs it loads.
 *
 * Why: the CLI and the agent are one bundle whose static imports all load before any code runs, and every
 * `berth start` pays that load twice (the CLI, then the agent it spawns) before QEMU can be spawned. Packages
 * that only the running engine needs (dockerode, ssh2, gRPC for builds, ws for the UI) are loaded through this
 * instead, so their load overlaps the guest's boot or never happens in a CLI. Types come from `import type`.
 */
export function lazyPackage<T>(name: string): () => T {
  let loaded: T | undefined;
  // Resolved from this file, as a static import would be: the checkout's node_modules.
  return () => (loaded ??= createRequire(import.meta.url)(name) as T);
}
