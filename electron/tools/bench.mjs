#!/usr/bin/env node
// `npm run bench`: every benchmark (`bench:*` scripts), one after another so they do not share the two cores,
// each printing its own figures and ratios against a baseline measured in the same run.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

const scripts = Object.keys(JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).scripts)
  .filter((name) => name.startsWith('bench:'))
  .filter((name) => !process.argv[2] || name.includes(process.argv[2]));
let failed = 0;
for (const name of scripts) {
  console.log(`\n=== ${name} ===`);
  const result = spawnSync('npm', ['run', '--silent', name], { stdio: 'inherit' });
  if (result.status !== 0) failed += 1;
}
process.exit(failed ? 1 : 0);
