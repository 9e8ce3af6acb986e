import type { PortForward } from '../../../../electron/contract/ports';

/** "Port 8443 is not reachable from this computer: <why>", or null when every forward works. */
export function failedForwardsText(forwards: ReadonlyMap<string, PortForward> | undefined): string | null {
  // Most containers have no forwards: no arrays for them (the list asks for all 2,000 on its first render).
  if (!forwards?.size) return null;
  const failed = [...forwards.values()].filter((f) => f.state === 'failed');
  if (!failed.length) return null;
  const parts = failed.map((f) => `port ${f.hostPort}${f.protocol === 'udp' ? '/udp' : ''}: ${f.error ?? 'not forwarded'}`);
  return `Not reachable from this computer: ${parts.join('; ')}`;
}
