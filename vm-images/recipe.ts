import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GuestArch, ImageVariant } from './types';

export const SUITE = 'trixie';
export const MIRROR = 'http://deb.debian.org/debian';

/** Bumped when the output format changes in a way the recipe files alone would not show. */
const RECIPE_FORMAT = 1;

export const VM_IMAGES_DIR = path.dirname(fileURLToPath(import.meta.url));

const BASE_PACKAGES = [
  'docker.io',
  // A Recommends of docker.io that mmdebstrap would skip: without it there is no docker CLI in the guest.
  'docker-cli',
  // Compose v2 and Buildx as CLI plugins (/usr/libexec/docker/cli-plugins), as Docker Desktop ships them.
  'docker-compose',
  'docker-buildx',
  'containerd',
  'runc',
  'openssh-server',
  'iptables',
  'e2fsprogs',
  'busybox-static',
  'kmod',
  'ca-certificates',
];

export function packagesFor(variant: ImageVariant): string[] {
  return variant === 'systemd' ? [...BASE_PACKAGES, 'systemd-sysv', 'udev'] : [...BASE_PACKAGES];
}

/** Files whose contents define an image: the guest scripts and the code that assembles them. */
export function recipeFiles(): string[] {
  const roots = ['guest', 'builder'];
  const files = ['recipe.ts', 'arch.ts'].map((f) => path.join(VM_IMAGES_DIR, f));
  for (const root of roots) files.push(...walk(path.join(VM_IMAGES_DIR, root)));
  return files.sort();
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(p));
    else if (entry.isFile() && !entry.name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

export function recipeHash(arch: GuestArch, variant: ImageVariant): string {
  const h = crypto.createHash('sha256');
  h.update(JSON.stringify({ RECIPE_FORMAT, arch, variant, SUITE, packages: packagesFor(variant) }));
  for (const file of recipeFiles()) {
    const st = fs.statSync(file);
    // The executable bit matters for guest scripts, so it is part of the recipe.
    h.update(`\0${path.relative(VM_IMAGES_DIR, file)}\0${st.mode & 0o111 ? 'x' : '-'}\0`);
    h.update(fs.readFileSync(file));
  }
  return h.digest('hex').slice(0, 16);
}
