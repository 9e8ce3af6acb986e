import { useEffect, useState } from 'react';
import type { ContainerStatsSample } from '../../../../electron/contract/model';
import { agent } from '../../connection/connection';
import { Sparkline } from '../../components/Sparkline';
import { formatBytes } from '../../components/format';

const KEEP = 90;

/** Rates from two cumulative samples (bytes per second). */
function rate(a: ContainerStatsSample | undefined, b: ContainerStatsSample, pick: (s: ContainerStatsSample) => number): number {
  if (!a || b.t <= a.t) return 0;
  return Math.max(0, ((pick(b) - pick(a)) * 1000) / (b.t - a.t));
}

export function StatsPanel({ id, running }: { id: string; running: boolean }) {
  const [samples, setSamples] = useState<ContainerStatsSample[]>([]);
  useEffect(() => {
    if (!running) return;
    setSamples([]);
    const h = agent().open('containers.stats', { id }, { onItem: (s) => setSamples((prev) => [...prev.slice(-(KEEP - 1)), s]) });
    return () => h.cancel();
  }, [id, running]);
  if (!running) return <p className="term-note">Statistics are shown while the container runs.</p>;
  const last = samples[samples.length - 1];
  if (!last) return <p className="term-note">Waiting for the first sample…</p>;
  const series = (f: (s: ContainerStatsSample, prev?: ContainerStatsSample) => number) => samples.map((s, i) => f(s, samples[i - 1]));
  const netRx = series((s, p) => rate(p, s, (x) => x.netRx));
  const netTx = series((s, p) => rate(p, s, (x) => x.netTx));
  const blkR = series((s, p) => rate(p, s, (x) => x.blkRead));
  const blkW = series((s, p) => rate(p, s, (x) => x.blkWrite));
  return (
    <div className="sparks" aria-label="Container statistics">
      <Sparkline label="CPU" values={series((s) => s.cpuPercent)} latest={`${last.cpuPercent.toFixed(1)}%`} />
      <Sparkline label="Memory" values={series((s) => s.memBytes)} latest={`${formatBytes(last.memBytes)} of ${formatBytes(last.memLimit)}`} />
      <Sparkline label="Network in" values={netRx} latest={`${formatBytes(netRx[netRx.length - 1])}/s`} />
      <Sparkline label="Network out" values={netTx} latest={`${formatBytes(netTx[netTx.length - 1])}/s`} />
      <Sparkline label="Disk read" values={blkR} latest={`${formatBytes(blkR[blkR.length - 1])}/s`} />
      <Sparkline label="Disk write" values={blkW} latest={`${formatBytes(blkW[blkW.length - 1])}/s`} />
    </div>
  );
}
