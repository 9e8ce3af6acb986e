import { describe, expect, it } from 'vitest';
import { Backoff } from './backoff';

describe('Backoff', () => {
  it('retries later each time, one at a time, and starts over on reset', async () => {
    const b = new Backoff(20, 80);
    const at: number[] = [];
    const t0 = Date.now();
    for (let i = 0; i < 4; i++) {
      await new Promise<void>((resolve) => {
        b.schedule(() => {
          at.push(Date.now() - t0);
          resolve();
        });
        b.schedule(() => at.push(-1)); // already pending: ignored
      });
    }
    expect(at).not.toContain(-1);
    const gaps = at.map((t, i) => t - (at[i - 1] ?? 0));
    expect(gaps[0]).toBeGreaterThanOrEqual(18);
    expect(gaps[1]).toBeGreaterThanOrEqual(38);
    expect(gaps[3]).toBeGreaterThanOrEqual(78);
    expect(gaps[3]).toBeLessThan(160);
    b.reset();
    let ran = false;
    b.schedule(() => (ran = true));
    b.reset();
    await new Promise((r) => setTimeout(r, 40));
    expect(ran).toBe(false);
  });
});
