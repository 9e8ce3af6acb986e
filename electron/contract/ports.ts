/**
 * The port-forward table as clients see it (ports.list / ports.watch). No Node imports: the renderer reads
 * these types too.
 */
export type PortProtocol = 'tcp' | 'udp';
/** hypervisor: the VM's own network (QEMU's user network) carries the bytes; ssh: one SSH channel per connection. */
export type ForwardPath = 'hypervisor' | 'ssh';

export interface PortForward {
  containerId: string;
  /** Without docker's leading slash. */
  containerName: string;
  /** Where the agent listens on the host: 127.0.0.1, or 0.0.0.0 when allowed by settings. */
  hostIp: string;
  hostPort: number;
  /** The port dockerd published inside the VM (the same number as hostPort). */
  guestPort: number;
  /** The container's own port (the right-hand side of -p). */
  containerPort: number;
  protocol: PortProtocol;
  state: 'forwarded' | 'failed';
  /** Which path carries a forwarded port's bytes. */
  via?: ForwardPath;
  /** Why a failed forward failed, in words for the user. */
  error?: string;
}
