/**
 * What should be forwarded (from the engine's container list) and what to change to get there. Pure functions:
 * the unit tests drive them with docker's own JSON shapes.
 */
import type { PortProtocol } from '../contract/ports';

/** The subset of docker's GET /containers/json item that decides forwards. */
export interface ContainerPorts {
  Id: string;
  Names?: string[];
  State?: string;
  Ports?: { IP?: string; PrivatePort: number; PublicPort?: number; Type: string }[];
}

export interface ForwardSpec {
  /** protocol/hostIp/hostPort: what can be bound once on the host. */
  key: string;
  containerId: string;
  containerName: string;
  hostIp: string;
  hostPort: number;
  /** Where the channel goes inside the VM: dockerd publishes on the guest's own ports. */
  guestHost: string;
  guestPort: number;
  containerPort: number;
  protocol: PortProtocol;
  /**
   * Published on every guest address (0.0.0.0), so the VM's own network interface reaches it and the
   * hypervisor's network can serve it; a port published only on the guest's loopback needs the SSH channel.
   */
  onAllGuestAddresses: boolean;
}

export interface PlanOptions {
  exposeOnAllInterfaces: boolean;
}

const LOOPBACK = new Set(['127.0.0.1', '::1']);

/**
 * Every published port of every running container, once per host address. A port published to all
 * addresses (docker lists 0.0.0.0 and :: separately) is one forward; it reaches beyond loopback only when the
 * user allowed it, because a container port on the LAN is a surprise nobody wants by default.
 */
export function desiredForwards(containers: readonly ContainerPorts[], o: PlanOptions): ForwardSpec[] {
  const out = new Map<string, ForwardSpec>();
  for (const c of containers) {
    if (c.State && c.State !== 'running') continue;
    const name = (c.Names?.[0] ?? c.Id.slice(0, 12)).replace(/^\//, '');
    for (const p of c.Ports ?? []) {
      if (!p.PublicPort) continue;
      const protocol: PortProtocol = p.Type === 'udp' ? 'udp' : 'tcp';
      if (p.Type !== 'tcp' && p.Type !== 'udp') continue;
      const ip = p.IP ?? '';
      const hostIp = LOOPBACK.has(ip) || !o.exposeOnAllInterfaces ? '127.0.0.1' : '0.0.0.0';
      const key = `${protocol}/${hostIp}/${p.PublicPort}`;
      // docker lists `-p 8080:80` once per family (0.0.0.0 and ::): the IPv4 wildcard is what slirp can reach.
      const onAllGuestAddresses = ip === '0.0.0.0' || ip === '';
      const seen = out.get(key);
      if (seen) {
        seen.onAllGuestAddresses ||= onAllGuestAddresses;
        continue;
      }
      out.set(key, {
        key,
        containerId: c.Id,
        containerName: name,
        hostIp,
        hostPort: p.PublicPort,
        guestHost: ip === '::1' ? '::1' : '127.0.0.1',
        guestPort: p.PublicPort,
        containerPort: p.PrivatePort,
        protocol,
        onAllGuestAddresses,
      });
    }
  }
  return [...out.values()].sort((a, b) => a.hostPort - b.hostPort || a.key.localeCompare(b.key));
}

export interface ActualForward {
  spec: ForwardSpec;
  state: 'forwarded' | 'failed';
}

export interface ReconcilePlan {
  /** Keys whose listener goes away (container gone, or the port moved to another address). */
  close: string[];
  /** New forwards, and failed ones tried again (the program holding the port may have quit). */
  open: ForwardSpec[];
  /**
   * Listening already; only the container or guest target changed, so the listener stays. A change of
   * onAllGuestAddresses may change which path serves it, so that one is a close and an open instead.
   */
  update: ForwardSpec[];
}

export function planReconcile(desired: readonly ForwardSpec[], actual: readonly ActualForward[]): ReconcilePlan {
  const want = new Map(desired.map((d) => [d.key, d]));
  const have = new Map(actual.map((a) => [a.spec.key, a]));
  const plan: ReconcilePlan = { close: [], open: [], update: [] };
  for (const [key] of have) if (!want.has(key)) plan.close.push(key);
  for (const [key, spec] of want) {
    const cur = have.get(key);
    if (!cur || cur.state === 'failed') plan.open.push(spec);
    else if (cur.spec.onAllGuestAddresses !== spec.onAllGuestAddresses) {
      plan.close.push(key);
      plan.open.push(spec);
    } else if (!sameSpec(cur.spec, spec)) plan.update.push(spec);
  }
  return plan;
}

function sameSpec(a: ForwardSpec, b: ForwardSpec): boolean {
  return (
    a.containerId === b.containerId &&
    a.containerName === b.containerName &&
    a.guestHost === b.guestHost &&
    a.guestPort === b.guestPort &&
    a.containerPort === b.containerPort
  );
}
