import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// Resolved from a path, not a URL object: under a DOM test environment the global URL is the DOM's own class.
const packageJson = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../package.json');

export const BERTH_VERSION: string = (JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string }).version;
