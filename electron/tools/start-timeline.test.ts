import { describe, expect, it } from 'vitest';
import { startBreakdown, startTimeline } from './start-timeline';

const at = (ms: number) => new Date(Date.UTC(2026, 10, 30, 18, 0, 0) + ms).toISOString();
const launched = Date.UTC(2026, 10, 30, 18, 0, 0);

describe('startTimeline', () => {
  it('finds each mark, counting the last QEMU spawn before the guest boot and the first engine answer', () => {
    const log = [
      `${at(900)} info agent 7400 listening on /tmp/x/run/berth.sock and http://127.0.0.1:1/`,
      `${at(950)} info vm starting prepare`,
      `${at(1000)} info vm starting hypervisor`,
      `${at(1300)} info vm starting hypervisor`,
      `${at(6000)} info vm starting kernel`,
      `${at(9000)} info vm running`,
      `${at(9400)} info guest stage engine-ready`,
      `${at(9700)} info engine ready: Docker 26.1.5`,
      `${at(20000)} info engine not ready`,
      `${at(30000)} info engine ready: Docker 26.1.5`,
    ].join('\n');
    const t = startTimeline(log, launched, launched + 9800);
    expect(t).toEqual({ agentListening: 900, qemuSpawned: 1300, guestEngineReady: 9400, hostEngineReady: 9700, cliDone: 9800 });
    const rows = startBreakdown(t);
    expect(rows.map((r) => r.ms)).toEqual([1300, 900, 8100, 300, 100]);
    // Everything but the guest's own boot is the host's addition; the agent's listening is a mark inside it.
    expect(rows.filter((r) => r.host && !r.mark).reduce((a, r) => a + (r.ms ?? 0), 0)).toBe(9800 - 8100);
  });

  it('leaves a mark the log lacks as unknown', () => {
    const t = startTimeline(`${at(10)} info vm starting engine-ready`, launched, launched + 50);
    expect(t.guestEngineReady).toBe(10);
    expect(startBreakdown(t)[2].ms).toBeNull();
  });
});
