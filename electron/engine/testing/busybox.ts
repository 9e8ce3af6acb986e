import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/**
 * A static busybox for test images (Docker Hub is unreachable from here): Debian's busybox-static, fetched
 * with apt-get download and unpacked with dpkg -x, cached per machine.
 */
export function staticBusybox(cacheDir = '/tmp/berth-busybox'): string {
  const bin = path.join(cacheDir, 'busybox');
  if (fs.existsSync(bin)) return bin;
  fs.mkdirSync(cacheDir, { recursive: true });
  execFileSync('apt-get', ['download', 'busybox-static'], { cwd: cacheDir, stdio: 'ignore' });
  const deb = fs.readdirSync(cacheDir).find((f) => f.startsWith('busybox-static_') && f.endsWith('.deb'));
  if (!deb) throw new Error('apt-get download busybox-static produced no .deb');
  execFileSync('dpkg', ['-x', deb, 'x'], { cwd: cacheDir });
  fs.copyFileSync(path.join(cacheDir, 'x', 'bin', 'busybox'), bin);
  fs.chmodSync(bin, 0o755);
  return bin;
}

/** A build context: FROM scratch, busybox with the applets a test uses. */
export function busyboxContext(dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  fs.copyFileSync(staticBusybox(), path.join(dir, 'busybox'));
  fs.writeFileSync(
    path.join(dir, 'Dockerfile'),
    [
      'FROM scratch',
      'COPY busybox /bin/busybox',
      // --install needs /bin to exist, which COPY made; skip the name "busybox" itself.
      'RUN ["/bin/busybox", "--install", "-s", "/bin"]',
      'ENV PATH=/bin',
      'CMD ["sh"]',
      '',
    ].join('\n'),
  );
  return dir;
}
