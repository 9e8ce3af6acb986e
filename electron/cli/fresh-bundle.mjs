// The CLI and the agent as one prebuilt JavaScript file, rebuilt when a source changes.
//
// Why: run through tsx's loader, node resolves and transforms some 250 TypeScript modules on every start: about
// 2 s before the agent listens and 3 s before `berth help` prints on a busy 2-core machine, all of it before the
// VM can begin to boot. One esbuild bundle loads in a third of that. Packages stay external (node_modules).
//
// The bundle is a local cache, never shipped or committed: it lives in node_modules/.cache (so bare imports
// resolve from the checkout) and every source keeps its own import.meta.url (paths relative to a module still
// resolve as from the sources). A manifest of the inputs' sizes and mtimes says when it is stale; any failure
// (no esbuild, a syntax error) returns null and the caller runs the sources through tsx, which reports it.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** Bumped when what goes into a bundle changes here, so older bundles are rebuilt. */
const FORMAT = 1;

/** Returns the path of a fresh bundle of `entry` (relative to root), building it when needed, or null. */
export async function freshBundle(root, entry) {
  // One per checkout: git worktrees may share one node_modules, and a bundle holds its checkout's paths.
  const checkout = crypto.createHash('sha256').update(root).digest('hex').slice(0, 12);
  const dir = path.join(root, 'node_modules', '.cache', 'berth-cli', checkout);
  const out = path.join(dir, `${path.basename(entry, '.ts')}.mjs`);
  const manifestFile = `${out}.inputs.json`;
  try {
    if (isFresh(root, manifestFile) && fs.existsSync(out)) return out;
    return await build(root, entry, dir, out, manifestFile);
  } catch {
    return null;
  }
}

function stamp(file) {
  const st = fs.statSync(file);
  return `${st.size}:${Math.trunc(st.mtimeMs)}`;
}

function isFresh(root, manifestFile) {
  let manifest;
  try {
    manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
  } catch {
    return false;
  }
  if (manifest.format !== FORMAT) return false;
  for (const [rel, was] of Object.entries(manifest.inputs ?? {})) {
    try {
      if (stamp(path.join(root, rel)) !== was) return false;
    } catch {
      return false;
    }
  }
  return true;
}

async function build(root, entry, dir, out, manifestFile) {
  const { build: esbuild } = await import('esbuild');
  // Each module's import.meta.url is its source file's URL, as under tsx.
  const keepModuleUrls = {
    name: 'keep-module-urls',
    setup(b) {
      b.onLoad({ filter: /\.(ts|mts)$/ }, (args) => {
        const text = fs.readFileSync(args.path, 'utf8');
        if (!text.includes('import.meta.url')) return undefined;
        return { contents: text.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)), loader: 'ts' };
      });
    },
  };
  fs.mkdirSync(dir, { recursive: true });
  const tmp = `${out}.${process.pid}.tmp`;
  const result = await esbuild({
    absWorkingDir: root,
    entryPoints: [entry],
    outfile: tmp,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    metafile: true,
    logLevel: 'silent',
    plugins: [keepModuleUrls],
  });
  const inputs = {};
  for (const rel of Object.keys(result.metafile.inputs)) inputs[rel] = stamp(path.join(root, rel));
  // Rename over the old one: a second CLI starting meanwhile reads either the whole old or the whole new file.
  fs.renameSync(tmp, out);
  fs.writeFileSync(`${manifestFile}.${process.pid}.tmp`, JSON.stringify({ format: FORMAT, inputs }));
  fs.renameSync(`${manifestFile}.${process.pid}.tmp`, manifestFile);
  return out;
}
