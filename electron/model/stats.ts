import type Docker from 'dockerode';
import { onJsonLines } from '../base/json-lines';
import type { ContainerStatsSample } from '../contract/model';
import type { PumpSink } from '../protocol/pump';
import { engineError } from './docker-errors';

/** CPU use the way `docker stats` computes it: share of all host CPUs, times the number of CPUs. */
export function cpuPercent(s: Docker.ContainerStats): number {
  const cpu = s.cpu_stats?.cpu_usage?.total_usage ?? 0;
  const preCpu = s.precpu_stats?.cpu_usage?.total_usage ?? 0;
  const sys = s.cpu_stats?.system_cpu_usage ?? 0;
  const preSys = s.precpu_stats?.system_cpu_usage ?? 0;
  const cpus = s.cpu_stats?.online_cpus || s.cpu_stats?.cpu_usage?.percpu_usage?.length || 1;
  const dCpu = cpu - preCpu;
  const dSys = sys - preSys;
  return dCpu > 0 && dSys > 0 ? (dCpu / dSys) * cpus * 100 : 0;
}

export function toSample(s: Docker.ContainerStats): ContainerStatsSample {
  let netRx = 0;
  let netTx = 0;
  for (const n of Object.values(s.networks ?? {})) {
    netRx += n.rx_bytes;
    netTx += n.tx_bytes;
  }
  let blkRead = 0;
  let blkWrite = 0;
  for (const e of s.blkio_stats?.io_service_bytes_recursive ?? []) {
    if (e.op.toLowerCase() === 'read') blkRead += e.value;
    if (e.op.toLowerCase() === 'write') blkWrite += e.value;
  }
  return {
    t: Date.parse(s.read) || Date.now(),
    cpuPercent: cpuPercent(s),
    memBytes: s.memory_stats?.usage ?? 0,
    memLimit: s.memory_stats?.limit ?? 0,
    netRx,
    netTx,
    blkRead,
    blkWrite,
  };
}

/** The engine's stats of one container, one sample a second, until cancelled or the container goes. */
export async function streamStats(
  docker: Docker,
  id: string,
  sink: PumpSink<ContainerStatsSample>,
): Promise<void> {
  let stream: NodeJS.ReadableStream & { destroy?: () => void };
  try {
    stream = (await docker.getContainer(id).stats({ stream: true })) as unknown as typeof stream;
  } catch (err) {
    throw engineError(err, 'Could not read stats');
  }
  sink.signal.addEventListener('abort', () => stream.destroy?.(), { once: true });
  let chain = Promise.resolve();
  await new Promise<void>((resolve) => {
    onJsonLines<Docker.ContainerStats>(stream, (raw) => {
      let sample: ContainerStatsSample;
      try {
        sample = toSample(raw);
      } catch {
        return;
      }
      chain = chain.then(() => sink.push(sample)).catch(() => undefined);
    });
    stream.on('end', resolve);
    stream.on('close', resolve);
    stream.on('error', resolve);
  });
}
