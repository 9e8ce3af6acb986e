import type { PortForward } from '../contract/ports';

/** The `ports` section of `berth status`: one line per forward, failures with their reason. */
export function formatPorts(forwards: readonly PortForward[]): string[] {
  if (!forwards.length) return ['ports   none published'];
  return forwards.map((f, i) => {
    const head = i === 0 ? 'ports   ' : '        ';
    const where = `${f.hostIp}:${f.hostPort} -> ${f.containerName}:${f.containerPort}/${f.protocol}`;
    const via = f.via === 'hypervisor' ? '  (VM network)' : f.via === 'ssh' ? '  (SSH)' : '';
    return f.state === 'forwarded' ? `${head}${where}${via}` : `${head}${where}  NOT FORWARDED: ${f.error ?? 'unknown error'}`;
  });
}
