import { BerthError } from '../base/errors';
import { USER_NETDEV_ID } from './hypervisor';
import type { Qmp } from './qmp';

/** One published port served by QEMU's user network: host address:port -> the guest's own address:guestPort. */
export interface HostForwardRule {
  protocol: 'tcp' | 'udp';
  /** An IPv4 address: QEMU 7.2's hostfwd parses hostaddr with inet_aton. */
  hostIp: string;
  hostPort: number;
  guestPort: number;
}

/** Rows of `info usernet` that are host forwards: `TCP[HOST_FORWARD]  13  127.0.0.1 50101  10.0.2.15  8080 ...`. */
export function parseHostForwards(infoUsernet: string): { protocol: 'tcp' | 'udp'; hostIp: string; hostPort: number }[] {
  const out: { protocol: 'tcp' | 'udp'; hostIp: string; hostPort: number }[] = [];
  for (const line of infoUsernet.split(/\r?\n/)) {
    const m = /^\s*(TCP|UDP)\[HOST_FORWARD\]\s+\d+\s+(\S+)\s+(\d+)\s/.exec(line);
    if (!m) continue;
    // QEMU prints a wildcard bind as `*`; hostfwd_remove wants it spelled 0.0.0.0.
    out.push({ protocol: m[1] === 'TCP' ? 'tcp' : 'udp', hostIp: m[2] === '*' ? '0.0.0.0' : m[2], hostPort: Number(m[3]) });
  }
  return out;
}

/**
 * Published ports through QEMU's own user network (slirp): host forwards added and removed at run time with the
 * monitor's hostfwd_add/hostfwd_remove over QMP. Bytes then move between host sockets and the guest's virtio-net
 * in QEMU, with no SSH encryption in the guest. QEMU restarts start with none but the SSH port; a QEMU adopted
 * from a previous agent may still hold that agent's forwards, so each QMP connection is swept once before its
 * first add.
 */
export class QemuHostForwards {
  /** The sweep of the current QMP connection; concurrent adds wait for the same one. */
  private sweeping: { qmp: Qmp; done: Promise<void> } | null = null;

  constructor(
    private readonly qmp: () => Qmp | null,
    /** The forward the VM itself depends on (the guest's sshd): never swept. */
    private readonly sshPort: () => number | null,
  ) {}

  /** True while forwards can be added: a QEMU is running and its QMP answers. */
  available(): boolean {
    return this.qmp() !== null && this.sshPort() !== null;
  }

  async add(rule: HostForwardRule): Promise<void> {
    const qmp = this.connected();
    await this.sweepOnce(qmp);
    const spec = `${rule.protocol}:${rule.hostIp}:${rule.hostPort}-:${rule.guestPort}`;
    const out = await hmp(qmp, `hostfwd_add ${USER_NETDEV_ID} ${spec}`);
    // QEMU's own words; it never says why a bind failed.
    if (out) throw new BerthError('conflict', out);
  }

  /** Removes the rule; one that is already gone (QEMU restarted, swept) is not an error. */
  async remove(rule: Pick<HostForwardRule, 'protocol' | 'hostIp' | 'hostPort'>): Promise<void> {
    const qmp = this.qmp();
    if (!qmp) return;
    const out = await hmp(qmp, `hostfwd_remove ${USER_NETDEV_ID} ${rule.protocol}:${rule.hostIp}:${rule.hostPort}`);
    if (!/removed|not found/.test(out)) throw new BerthError('vm', `QEMU did not remove the forward of ${rule.hostIp}:${rule.hostPort}: ${out}`);
  }

  /** Removes every forward but SSH's, once per QMP connection (a QEMU adopted from an agent that died). */
  sweep(): Promise<void> {
    return this.sweepOnce(this.connected());
  }

  /** What QEMU forwards now (for diagnostics and tests). */
  async list(): Promise<ReturnType<typeof parseHostForwards>> {
    return parseHostForwards(await hmp(this.connected(), 'info usernet'));
  }

  private connected(): Qmp {
    const qmp = this.qmp();
    if (!qmp) throw new BerthError('unavailable', 'QEMU is not running (no QMP connection)');
    return qmp;
  }

  private sweepOnce(qmp: Qmp): Promise<void> {
    if (this.sweeping?.qmp !== qmp) {
      const done = (async () => {
        const ssh = this.sshPort();
        for (const f of parseHostForwards(await hmp(qmp, 'info usernet'))) {
          if (f.protocol === 'tcp' && f.hostPort === ssh) continue;
          await this.remove(f);
        }
      })();
      this.sweeping = { qmp, done };
      // A failed sweep is tried again by the next add rather than remembered as done.
      done.catch(() => {
        if (this.sweeping?.done === done) this.sweeping = null;
      });
    }
    return this.sweeping!.done;
  }
}

/** A monitor command through QMP: its printed output, trimmed ('' is how hostfwd_add says it worked). */
async function hmp(qmp: Qmp, commandLine: string): Promise<string> {
  const out = await qmp.execute('human-monitor-command', { 'command-line': commandLine });
  return typeof out === 'string' ? out.trim() : '';
}
