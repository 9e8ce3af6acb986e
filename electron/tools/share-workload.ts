/**
 * The file workloads bench:shares runs inside the VM, the same on a shared folder and on the guest's own disk:
 * sequential write and read (dd), and many small files (untar a generated source-like tree, `find` over it, `cat`
 * every file). Timed in the guest with `date +%s.%N`, so SSH and the host's load before and after do not count.
 */
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';

export const TREE_FILES = 2000;

/** Figures of one run in one folder; times in seconds. */
export interface WorkloadResult {
  writeMBps: number;
  readMBps: number;
  untarS: number;
  findS: number;
  catS: number;
  /** untar + find + cat: the small-files figure. */
  smallFilesS: number;
  entries: number;
}

/**
 * A tarball of TREE_FILES files (100 B - 8 KB, about the sizes in a node_modules tree) in 40 packages of 5
 * folders; deterministic content, so every run moves the same bytes.
 */
export function makeTreeTarball(workDir: string): string {
  const root = path.join(workDir, 'tree');
  let seed = 1;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (let pkg = 0; pkg < 40; pkg++) {
    for (let sub = 0; sub < 5; sub++) {
      const dir = path.join(root, `pkg${pkg}`, `sub${sub}`);
      fs.mkdirSync(dir, { recursive: true });
      for (let f = 0; f < TREE_FILES / 200; f++) {
        fs.writeFileSync(path.join(dir, `file${f}.js`), Buffer.alloc(Math.floor(100 + next() * 8000), 97 + (f % 26)));
      }
    }
  }
  const tarball = path.join(workDir, 'tree.tar');
  execFileSync('tar', ['cf', tarball, '-C', root, '.']);
  fs.rmSync(root, { recursive: true, force: true });
  return tarball;
}

/**
 * A guest shell script: the workload in DIR, reading the tarball from TARBALL (put on the guest's tmpfs first, so
 * reading it costs the same for both folders). Prints one line of numbers that parseWorkload reads.
 */
export function workloadScript(dir: string, tarball: string, mb: number): string {
  const w = `${dir}/.berth-bench`;
  return [
    't() { date +%s.%N; }',
    'drop() { sync; echo 3 > /proc/sys/vm/drop_caches; }',
    `rm -rf ${w}; mkdir -p ${w}/tree`,
    `a=$(t); dd if=/dev/zero of=${w}/seq.bin bs=1M count=${mb} conv=fsync 2>/dev/null || exit 1; b=$(t)`,
    'drop',
    `c=$(t); dd if=${w}/seq.bin of=/dev/null bs=1M 2>/dev/null || exit 1; d=$(t)`,
    `rm -f ${w}/seq.bin; drop`,
    // sync: the disk's untar would otherwise end in the page cache, while every 9p write has reached the host.
    `e=$(t); tar xf ${tarball} -C ${w}/tree && sync || exit 1; f=$(t)`,
    'drop',
    `g=$(t); n=$(find ${w}/tree | wc -l); h=$(t)`,
    `i=$(t); find ${w}/tree -type f -exec cat {} + >/dev/null || exit 1; j=$(t)`,
    `rm -rf ${w}`,
    `echo "$a $b $c $d $e $f $g $h $i $j $n" | awk -v mb=${mb} '{printf "%.3f %.3f %.3f %.3f %.3f %d\\n", mb/($2-$1), mb/($4-$3), $6-$5, $8-$7, $10-$9, $11}'`,
  ].join('\n');
}

export function parseWorkload(out: string): WorkloadResult {
  const nums = out.trim().split('\n').pop()!.trim().split(/\s+/).map(Number);
  if (nums.length !== 6 || nums.some((n) => !Number.isFinite(n))) throw new Error(`workload printed ${JSON.stringify(out)}`);
  const [writeMBps, readMBps, untarS, findS, catS, entries] = nums;
  return { writeMBps, readMBps, untarS, findS, catS, smallFilesS: untarS + findS + catS, entries };
}

/** Guest script: remount the 9p share at DIR with another cache mode (same tag, the product's other options). */
export function remountScript(dir: string, cache: string): string {
  if (!/^[a-z]+$/.test(cache)) throw new Error(`not a 9p cache mode: ${cache}`);
  return [
    `tag=$(awk '$2 == "${dir}" && $3 == "9p" {print $1}' /proc/mounts)`,
    `[ -n "$tag" ] || { echo "no 9p mount at ${dir}" >&2; exit 1; }`,
    `cd / && umount ${dir} && mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000,cache=${cache},access=client "$tag" ${dir}`,
  ].join('\n');
}
