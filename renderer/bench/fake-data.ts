import type { ContainerSummary } from '../../electron/contract/model';

/** Container number i as the engine would list it: a quarter without a compose project, a third exited. */
export function fakeContainer(i: number): ContainerSummary {
  const project = i % 4 === 0 ? null : `project-${i % 50}`;
  return {
    id: `c${i.toString(16).padStart(12, '0')}`,
    name: `service-${i}`,
    image: `registry.local/team/app-${i % 30}:1.${i % 7}`,
    imageId: `sha256:${i % 30}`,
    command: 'run',
    state: i % 3 === 0 ? 'exited' : 'running',
    status: i % 3 === 0 ? 'Exited (0) 2 hours ago' : 'Up 3 minutes',
    created: Date.now() - i * 1000,
    ports: i % 5 === 0 ? [{ privatePort: 80, publicPort: 20000 + i, type: 'tcp' }] : [],
    project,
    service: project ? `svc-${i}` : null,
    labels: {},
    mounts: [],
    networks: ['bridge'],
    cpuPercent: (i % 100) / 10,
    memBytes: 1_000_000 * (i % 300),
  };
}
