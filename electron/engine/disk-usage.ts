import fs from 'node:fs/promises';
import type Docker from 'dockerode';
import type {
  DataDiskSize,
  DiskCategoryUsage,
  PruneCategory,
  PruneItem,
  PruneOutcome,
  PrunePreview,
} from '../contract/vm-entries';
import { virtualSize } from '../vm/data-disk';

/** The parts of GET /system/df this module reads. */
interface SystemDf {
  LayersSize?: number;
  Images?: { Id: string; RepoTags?: string[] | null; RepoDigests?: string[] | null; Size: number; SharedSize: number; Containers: number }[];
  Containers?: { Id: string; Names?: string[]; State: string; SizeRw?: number }[];
  Volumes?: { Name: string; Labels?: Record<string, string> | null; UsageData?: { Size: number; RefCount: number } | null }[];
  BuildCache?: { ID: string; Description?: string; Size: number; InUse: boolean; Shared: boolean }[];
}

/** Docker marks volumes created without a name; since API 1.42 a plain prune removes only these. */
const ANONYMOUS_LABEL = 'com.docker.volume.anonymous';
/** Stopped containers as ContainerPrune sees them: not running, paused or restarting. */
const PRUNABLE_STATES = new Set(['created', 'exited', 'dead']);

const positive = (n: number | undefined) => Math.max(0, n ?? 0);
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

function isDangling(img: NonNullable<SystemDf['Images']>[number]): boolean {
  const tags = (img.RepoTags ?? []).filter((t) => t !== '<none>:<none>');
  const digests = (img.RepoDigests ?? []).filter((d) => d !== '<none>@<none>');
  return tags.length === 0 && digests.length === 0;
}

export async function systemDf(docker: Docker): Promise<SystemDf> {
  return (await docker.df()) as SystemDf;
}

/** `docker system df`: per category the size and what a prune with all=true could give back. */
export function usageByCategory(df: SystemDf): DiskCategoryUsage[] {
  const images = df.Images ?? [];
  const usedImageBytes = sum(images.filter((i) => i.Containers > 0).map((i) => positive(i.Size) - positive(i.SharedSize)));
  const containers = df.Containers ?? [];
  const volumes = df.Volumes ?? [];
  const cache = df.BuildCache ?? [];
  return [
    {
      category: 'images',
      count: images.length,
      sizeBytes: positive(df.LayersSize),
      reclaimableBytes: Math.max(0, positive(df.LayersSize) - usedImageBytes),
    },
    {
      category: 'containers',
      count: containers.length,
      sizeBytes: sum(containers.map((c) => positive(c.SizeRw))),
      reclaimableBytes: sum(containers.filter((c) => PRUNABLE_STATES.has(c.State)).map((c) => positive(c.SizeRw))),
    },
    {
      category: 'volumes',
      count: volumes.length,
      sizeBytes: sum(volumes.map((v) => positive(v.UsageData?.Size))),
      reclaimableBytes: sum(volumes.filter((v) => v.UsageData?.RefCount === 0).map((v) => positive(v.UsageData?.Size))),
    },
    {
      category: 'build-cache',
      count: cache.length,
      sizeBytes: sum(cache.map((b) => positive(b.Size))),
      reclaimableBytes: sum(cache.filter((b) => !b.InUse).map((b) => positive(b.Size))),
    },
  ];
}

/**
 * What a prune would remove, decided by the engine's own rules: stopped containers; dangling (or, with all, every
 * unused) image; unused anonymous (or, with all, every unused) volume; build cache not in use.
 */
export function prunePreview(df: SystemDf, category: PruneCategory, all: boolean): PrunePreview {
  let items: PruneItem[];
  if (category === 'containers') {
    items = (df.Containers ?? [])
      .filter((c) => PRUNABLE_STATES.has(c.State))
      .map((c) => ({ id: c.Id, name: (c.Names?.[0] ?? c.Id.slice(0, 12)).replace(/^\//, ''), sizeBytes: positive(c.SizeRw) }));
  } else if (category === 'images') {
    items = (df.Images ?? [])
      .filter((i) => i.Containers === 0 && (all || isDangling(i)))
      .map((i) => ({ id: i.Id, name: i.RepoTags?.find((t) => t !== '<none>:<none>') ?? i.Id.replace(/^sha256:/, '').slice(0, 12), sizeBytes: positive(i.Size) - positive(i.SharedSize) }));
  } else if (category === 'volumes') {
    items = (df.Volumes ?? [])
      .filter((v) => v.UsageData?.RefCount === 0 && (all || (v.Labels ?? {})[ANONYMOUS_LABEL] !== undefined))
      .map((v) => ({ id: v.Name, name: v.Name, sizeBytes: positive(v.UsageData?.Size) }));
  } else {
    items = (df.BuildCache ?? [])
      .filter((b) => !b.InUse && (all || !b.Shared))
      .map((b) => ({ id: b.ID, name: b.Description ?? b.ID, sizeBytes: positive(b.Size) }));
  }
  return { category, all, items, reclaimableBytes: sum(items.map((i) => i.sizeBytes)) };
}

/** The prune itself, through the engine's prune endpoints (the engine decides again, atomically). */
export async function prune(docker: Docker, category: PruneCategory, all: boolean): Promise<PruneOutcome> {
  if (category === 'containers') {
    const r = await docker.pruneContainers();
    return { category, removed: r.ContainersDeleted ?? [], reclaimedBytes: r.SpaceReclaimed ?? 0 };
  }
  if (category === 'images') {
    // "Deleted" names the layers that went with an image too: keep the images, as the preview lists them.
    const images = new Set((await docker.listImages({ all: true })).map((i) => i.Id));
    const r = await docker.pruneImages({ filters: { dangling: [all ? 'false' : 'true'] } });
    const removed = (r.ImagesDeleted ?? []).flatMap((d) => (d.Deleted && images.has(d.Deleted) ? [d.Deleted] : []));
    return { category, removed, reclaimedBytes: r.SpaceReclaimed ?? 0 };
  }
  if (category === 'volumes') {
    const r = await docker.pruneVolumes(all ? { filters: { all: ['true'] } } : {});
    return { category, removed: r.VolumesDeleted ?? [], reclaimedBytes: r.SpaceReclaimed ?? 0 };
  }
  // dockerode's pruneBuilder drops its options: ask the endpoint directly.
  const r = await new Promise<{ CachesDeleted?: string[] | null; SpaceReclaimed?: number }>((resolve, reject) =>
    docker.modem.dial(
      { path: '/build/prune?', method: 'POST', options: { all }, statusCodes: { 200: true, 400: 'bad parameter', 500: 'server error' } },
      (err: unknown, data: unknown) => (err ? reject(err as Error) : resolve(data as { CachesDeleted?: string[] | null; SpaceReclaimed?: number })),
    ),
  );
  return { category, removed: r.CachesDeleted ?? [], reclaimedBytes: r.SpaceReclaimed ?? 0 };
}

/** The data disk on the host: allocated blocks (what it really costs) and the size the guest sees. */
export async function dataDiskSize(file: string): Promise<DataDiskSize | null> {
  try {
    const st = await fs.stat(file);
    return { file, allocatedBytes: st.blocks * 512, virtualBytes: await virtualSize(file, 'qemu-img') };
  } catch {
    return null;
  }
}
