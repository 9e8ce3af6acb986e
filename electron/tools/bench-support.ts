/** What the VM benchmarks share: one Berth with the test image, and their figures written into a README. */
import fs from 'node:fs';
import { ensureTestImage, startBerth, type BerthUnderTest } from '../testing/vm-fixture';
import type { AgentClient } from '../agent/client';


/** Boots Berth (the test image imported), runs `work` with the running VM's pid and accel, always stops it. */
export async function withBenchBerth(work: (b: BerthUnderTest, c: AgentClient, vm: { pid: number; accel: string }) => Promise<void>): Promise<void> {
  const b = await startBerth();
  try {
    await ensureTestImage(b);
    const c = await b.client();
    try {
      const st = await c.call('vm.status', {});
      if (st.vm.state !== 'running') throw new Error(`VM not running: ${st.vm.state}`);
      await work(b, c, { pid: st.vm.pid, accel: st.vm.accel });
    } finally {
      c.close();
    }
  } finally {
    await b.stop();
  }
}

/** Replaces the section between `<!-- bench:NAME begin/end -->` in a README, or appends it under `heading`. */
export function writeBenchSection(readmeFile: string, name: string, heading: string, section: string): void {
  const readme = fs.readFileSync(readmeFile, 'utf8');
  const begin = `<!-- bench:${name} begin -->`;
  const end = `<!-- bench:${name} end -->`;
  const block = `${begin}\n${section}\n${end}`;
  fs.writeFileSync(readmeFile, readme.includes(begin) ? readme.replace(new RegExp(`${begin}[\\s\\S]*?${end}`), block) : `${readme.trimEnd()}\n\n## ${heading}\n\n${block}\n`);
}
