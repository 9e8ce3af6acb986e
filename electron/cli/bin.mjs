#!/usr/bin/env node
// The `berth` command. Berth's host side is TypeScript: it runs from a bundle of its sources that is rebuilt
// whenever a source changes (fresh-bundle.mjs; a third of tsx's start time), or, if that cannot be built,
// directly through tsx's loader. Either way the CLI, the agent and the tests execute the same sources.
import { fileURLToPath, pathToFileURL } from 'node:url';
import { freshBundle } from './fresh-bundle.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bundle = process.env.BERTH_NO_BUNDLE ? null : await freshBundle(root, 'electron/cli/main.ts');
if (bundle) {
  // `berth start` launches the agent before loading the CLI's own modules (early-agent.ts, a small bundle).
  const early = process.argv[2] === 'start' ? await freshBundle(root, 'electron/cli/early-agent.ts') : null;
  if (early) await (await import(pathToFileURL(early).href)).launchAgentEarly();
  await import(pathToFileURL(bundle).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('./main.ts');
}
