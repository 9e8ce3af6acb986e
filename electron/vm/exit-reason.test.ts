import { describe, expect, it } from 'vitest';
import { unexpectedExitReason } from './exit-reason';

const base = { code: 0, signal: null, adopted: false, stderr: '', consoleLines: [] as string[] };

describe('why a running VM went away', () => {
  it('a guest kernel panic is named from the console, not as "QEMU exited with code 0"', () => {
    const consoleLines = [
      '[   42.1] Oops: int3: 0000 [#1] PREEMPT SMP NOPTI',
      '[   42.3] Kernel panic - not syncing: Fatal exception in interrupt',
      '[   42.3] Kernel Offset: disabled',
    ];
    expect(unexpectedExitReason({ ...base, consoleLines })).toBe(
      'The VM stopped unexpectedly: the guest kernel panicked (Kernel panic - not syncing: Fatal exception in interrupt)',
    );
  });

  it('otherwise QEMU exit: the signal, or the code with its last stderr line', () => {
    expect(unexpectedExitReason({ ...base, signal: 'SIGKILL' })).toBe('The VM stopped unexpectedly: QEMU was killed by SIGKILL');
    expect(unexpectedExitReason({ ...base, code: 1, stderr: 'warning: x\nqemu: cannot allocate memory\n' })).toBe(
      'The VM stopped unexpectedly: QEMU exited with code 1 (qemu: cannot allocate memory)',
    );
    expect(unexpectedExitReason({ ...base, adopted: true, code: null })).toBe('The VM stopped unexpectedly: QEMU ended');
  });
});
