#!/usr/bin/env node
// The `berth` command. Berth's host side is TypeScript run directly through tsx's loader, so the CLI, the agent
// and the tests execute the same sources with no build step in between.
import { register } from 'tsx/esm/api';

register();
await import('./main.ts');
