import type Docker from 'dockerode';
import { exitCodeFromStatus, healthFromStatus } from '../contract/exit-reason';
import type { ContainerState, ContainerSummary, ImageSummary, NetworkSummary, VolumeSummary } from '../contract/model';

const STATES = new Set<ContainerState>(['created', 'running', 'paused', 'restarting', 'removing', 'exited', 'dead']);

export function toContainer(c: Docker.ContainerInfo): ContainerSummary {
  const labels = c.Labels ?? {};
  const state = (STATES.has(c.State as ContainerState) ? c.State : 'dead') as ContainerState;
  const exitCode = state === 'exited' ? exitCodeFromStatus(c.Status) : undefined;
  const health = healthFromStatus(c.Status);
  return {
    id: c.Id,
    name: (c.Names?.[0] ?? c.Id.slice(0, 12)).replace(/^\//, ''),
    image: c.Image,
    imageId: c.ImageID,
    command: c.Command,
    state,
    status: c.Status,
    created: c.Created * 1000,
    ports: (c.Ports ?? []).map((p) => ({
      privatePort: p.PrivatePort,
      ...(p.PublicPort ? { publicPort: p.PublicPort } : {}),
      ...(p.IP ? { hostIp: p.IP } : {}),
      type: p.Type,
    })),
    project: labels['com.docker.compose.project'] ?? null,
    service: labels['com.docker.compose.service'] ?? null,
    labels,
    mounts: (c.Mounts ?? []).map((m) => ({
      type: m.Type,
      ...(m.Name ? { name: m.Name } : {}),
      source: m.Source,
      destination: m.Destination,
      rw: m.RW,
    })),
    networks: Object.keys(c.NetworkSettings?.Networks ?? {}),
    ...(exitCode !== undefined ? { exitCode } : {}),
    ...(health ? { health } : {}),
  };
}

export function toImage(i: Docker.ImageInfo, inUse: Map<string, number>): ImageSummary {
  const tags = (i.RepoTags ?? []).filter((t) => t !== '<none>:<none>');
  return {
    id: i.Id,
    tags,
    digests: (i.RepoDigests ?? []).filter((d) => d !== '<none>@<none>'),
    size: i.Size,
    created: i.Created * 1000,
    containers: inUse.get(i.Id) ?? 0,
    dangling: tags.length === 0,
  };
}

interface VolumeInfo {
  Name: string;
  Driver: string;
  Mountpoint: string;
  CreatedAt?: string;
  Labels?: Record<string, string> | null;
  UsageData?: { Size: number; RefCount: number } | null;
}

export function toVolume(v: VolumeInfo, usedBy: Map<string, string[]>): VolumeSummary {
  return {
    id: v.Name,
    name: v.Name,
    driver: v.Driver,
    mountpoint: v.Mountpoint,
    created: v.CreatedAt ? Date.parse(v.CreatedAt) : 0,
    labels: v.Labels ?? {},
    usedBy: usedBy.get(v.Name) ?? [],
    ...(v.UsageData && v.UsageData.Size >= 0 ? { size: v.UsageData.Size } : {}),
  };
}

export function toNetwork(n: Docker.NetworkInspectInfo, attached: Map<string, string[]>): NetworkSummary {
  return {
    id: n.Id,
    name: n.Name,
    driver: n.Driver,
    scope: n.Scope,
    ...(n.IPAM?.Config?.[0]?.Subnet ? { subnet: n.IPAM.Config[0].Subnet } : {}),
    internal: n.Internal,
    created: Date.parse(n.Created),
    containers: attached.get(n.Name) ?? [],
    builtin: ['bridge', 'host', 'none'].includes(n.Name),
  };
}

