import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Test images without Docker Hub (unreachable here): Debian's static busybox, made into an image FROM scratch.
 * Shared by the VM suites, the benchmarks and the e2e tests.
 */

/** The static busybox from Debian's busybox-static, fetched once per machine into the user's cache. */
export function staticBusybox(): string {
  const cache = path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'berth', 'fixtures', 'busybox-static');
  const bin = path.join(cache, 'x', 'bin', 'busybox');
  if (fs.existsSync(bin)) return bin;
  fs.mkdirSync(cache, { recursive: true });
  let deb = fs.readdirSync(cache).find((f) => f.endsWith('.deb'));
  if (!deb) {
    const r = spawnSync('apt-get', ['download', 'busybox-static'], { cwd: cache, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`apt-get download busybox-static failed: ${r.stderr}`);
    deb = fs.readdirSync(cache).find((f) => f.endsWith('.deb'))!;
  }
  const x = spawnSync('dpkg', ['-x', path.join(cache, deb), path.join(cache, 'x')], { encoding: 'utf8' });
  if (x.status !== 0) throw new Error(`dpkg -x failed: ${x.stderr}`);
  return bin;
}

/** A build context (FROM scratch + busybox with its applets installed), for tests of `docker build`. */
export function busyboxContext(dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  fs.copyFileSync(staticBusybox(), path.join(dir, 'busybox'));
  fs.writeFileSync(
    path.join(dir, 'Dockerfile'),
    [
      'FROM scratch',
      'COPY busybox /bin/busybox',
      // --install needs /bin to exist, which COPY made; it skips the name "busybox" itself.
      'RUN ["/bin/busybox", "--install", "-s", "/bin"]',
      'ENV PATH=/bin',
      'CMD ["sh"]',
      '',
    ].join('\n'),
  );
  return dir;
}

export interface BusyboxImage {
  tag: string;
  /** Applets linked in /bin besides `busybox` itself (others run as `busybox APPLET`). */
  applets: string[];
  /** Extra files, path inside the image -> content. */
  files?: Record<string, string>;
  /** `docker import --change` lines (CMD, ENV, ...); PATH=/bin is always set. */
  changes?: string[];
  /** Environment for the docker CLI (DOCKER_HOST pointing at Berth's socket). */
  env: NodeJS.ProcessEnv;
}

/** Makes the image with `docker import` of a tarred rootfs (~1 s; a build takes ~10 s under TCG). */
export async function importBusyboxImage(image: BusyboxImage): Promise<void> {
  const rootfs = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-img-'));
  try {
    fs.mkdirSync(path.join(rootfs, 'bin'));
    fs.mkdirSync(path.join(rootfs, 'tmp'), { mode: 0o1777 });
    fs.copyFileSync(staticBusybox(), path.join(rootfs, 'bin', 'busybox'));
    fs.chmodSync(path.join(rootfs, 'bin', 'busybox'), 0o755);
    for (const applet of image.applets) fs.symlinkSync('busybox', path.join(rootfs, 'bin', applet));
    for (const [file, content] of Object.entries(image.files ?? {})) {
      fs.mkdirSync(path.join(rootfs, path.dirname(file)), { recursive: true });
      fs.writeFileSync(path.join(rootfs, file), content);
    }
    await dockerImportDir(rootfs, image.tag, ['ENV PATH=/bin', ...(image.changes ?? [])], image.env);
  } finally {
    fs.rmSync(rootfs, { recursive: true, force: true });
  }
}

/** `tar -C dir -c . | docker import [--change ...] - tag`: a directory becomes a one-layer image. */
export function dockerImportDir(dir: string, tag: string, changes: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const tar = spawn('tar', ['-C', dir, '-c', '.'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const args = ['import', ...changes.flatMap((c) => ['--change', c]), '-', tag];
    const imp = spawn('docker', args, { env, stdio: ['pipe', 'ignore', 'pipe'] });
    let err = '';
    imp.stderr.on('data', (d: Buffer) => (err += d.toString()));
    tar.stdout.pipe(imp.stdin);
    imp.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`docker import failed: ${err}`))));
  });
}
