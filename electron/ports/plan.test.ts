import { describe, expect, it } from 'vitest';
import { desiredForwards, planReconcile, type ContainerPorts, type ForwardSpec } from './plan';

// Shapes as GET /containers/json returns them (docker 26): one entry per address family for `-p 8080:80`.
const web: ContainerPorts = {
  Id: 'aaa111',
  Names: ['/web'],
  State: 'running',
  Ports: [
    { IP: '0.0.0.0', PrivatePort: 80, PublicPort: 8080, Type: 'tcp' },
    { IP: '::', PrivatePort: 80, PublicPort: 8080, Type: 'tcp' },
    { PrivatePort: 443, Type: 'tcp' },
  ],
};
const db: ContainerPorts = {
  Id: 'bbb222',
  Names: ['/db'],
  State: 'running',
  Ports: [
    { IP: '127.0.0.1', PrivatePort: 5432, PublicPort: 15432, Type: 'tcp' },
    { IP: '0.0.0.0', PrivatePort: 53, PublicPort: 5353, Type: 'udp' },
  ],
};

describe('desiredForwards', () => {
  it('forwards each published port once, on loopback unless all interfaces are allowed', () => {
    const d = desiredForwards([web, db], { exposeOnAllInterfaces: false });
    expect(d.map((f) => [f.key, f.containerName, f.guestHost, f.guestPort, f.containerPort])).toEqual([
      ['udp/127.0.0.1/5353', 'db', '127.0.0.1', 5353, 53],
      ['tcp/127.0.0.1/8080', 'web', '127.0.0.1', 8080, 80],
      ['tcp/127.0.0.1/15432', 'db', '127.0.0.1', 15432, 5432],
    ]);
  });

  it('uses 0.0.0.0 only for ports published to all addresses, and only with the setting on', () => {
    const d = desiredForwards([web, db], { exposeOnAllInterfaces: true });
    expect(d.map((f) => f.key)).toEqual(['udp/0.0.0.0/5353', 'tcp/0.0.0.0/8080', 'tcp/127.0.0.1/15432']);
  });

  it('ignores containers that are not running and ports that are only exposed', () => {
    expect(desiredForwards([{ ...web, State: 'exited' }], { exposeOnAllInterfaces: false })).toEqual([]);
    expect(desiredForwards([{ Id: 'c', Ports: [{ PrivatePort: 80, Type: 'tcp' }] }], { exposeOnAllInterfaces: false })).toEqual([]);
  });

  it('marks ports published on every guest address (the VM network reaches them), whichever family docker lists first', () => {
    const d = desiredForwards([web, db], { exposeOnAllInterfaces: false });
    expect(d.map((f) => [f.key, f.onAllGuestAddresses])).toEqual([
      ['udp/127.0.0.1/5353', true],
      ['tcp/127.0.0.1/8080', true],
      ['tcp/127.0.0.1/15432', false],
    ]);
    const v6First = { ...web, Ports: [...web.Ports!].reverse() };
    expect(desiredForwards([v6First], { exposeOnAllInterfaces: false })[0].onAllGuestAddresses).toBe(true);
    const v6Only = { ...web, Ports: [{ IP: '::', PrivatePort: 80, PublicPort: 8080, Type: 'tcp' }] };
    expect(desiredForwards([v6Only], { exposeOnAllInterfaces: false })[0].onAllGuestAddresses).toBe(false);
  });

  it('targets ::1 in the guest for a port published only there', () => {
    const [f] = desiredForwards([{ Id: 'x', Ports: [{ IP: '::1', PrivatePort: 1, PublicPort: 9001, Type: 'tcp' }] }], {
      exposeOnAllInterfaces: true,
    });
    expect(f).toMatchObject({ hostIp: '127.0.0.1', guestHost: '::1', containerName: 'x' });
  });
});

describe('planReconcile', () => {
  const [udp, w, d] = desiredForwards([web, db], { exposeOnAllInterfaces: false });
  const up = (spec: ForwardSpec, state: 'forwarded' | 'failed' = 'forwarded') => ({ spec, state });

  it('opens everything from nothing (first connect)', () => {
    expect(planReconcile([w, d], [])).toEqual({ close: [], open: [w, d], update: [] });
  });

  it('closes what is no longer published (container stopped while the tunnel was down)', () => {
    expect(planReconcile([d], [up(w), up(d)])).toEqual({ close: [w.key], open: [], update: [] });
  });

  it('leaves a matching forward alone, so a reconnect does not churn listeners', () => {
    expect(planReconcile([w, d], [up(w), up(d)])).toEqual({ close: [], open: [], update: [] });
  });

  it('retries failed forwards: the program holding the port may be gone', () => {
    expect(planReconcile([w, udp], [up(w, 'failed'), up(udp, 'failed')])).toEqual({ close: [], open: [w, udp], update: [] });
  });

  it('updates in place when another container now publishes the same host port', () => {
    const moved = { ...w, containerId: 'ccc333', containerName: 'web2', containerPort: 8000 };
    expect(planReconcile([moved], [up(w)])).toEqual({ close: [], open: [], update: [moved] });
  });

  it('reopens rather than retargets when the port moves between the guest loopback and every guest address', () => {
    const loopbackOnly = { ...w, onAllGuestAddresses: false };
    expect(planReconcile([loopbackOnly], [up(w)])).toEqual({ close: [w.key], open: [loopbackOnly], update: [] });
  });

  it('moves a forward between loopback and all interfaces as two different listeners', () => {
    const all = desiredForwards([web], { exposeOnAllInterfaces: true })[0];
    expect(planReconcile([all], [up(w)])).toEqual({ close: [w.key], open: [all], update: [] });
  });
});
