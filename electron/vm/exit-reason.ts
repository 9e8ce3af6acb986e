/**
 * Why a running VM's QEMU went away, in the words the status shows. A guest kernel panic exits QEMU with code 0
 * (`-no-reboot` and `panic=-1`), so QEMU's own exit says nothing: the console's last lines tell what happened.
 */
export function unexpectedExitReason(exit: {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** An adopted QEMU is not our child: how it ended is not known. */
  adopted: boolean;
  stderr: string;
  consoleLines: string[];
}): string {
  const panic = exit.consoleLines.find((l) => l.includes('Kernel panic'));
  if (panic) return `The VM stopped unexpectedly: the guest kernel panicked (${panic.slice(panic.indexOf('Kernel panic')).trim()})`;
  const how = exit.signal ? `was killed by ${exit.signal}` : exit.adopted ? 'ended' : `exited with code ${exit.code}`;
  const detail = exit.stderr.trim().split('\n').at(-1);
  return `The VM stopped unexpectedly: QEMU ${how}${detail ? ` (${detail})` : ''}`;
}

/** How QEMU ended: the console log's line, and the error status when nobody asked it to stop. */
export function describeExit(
  adopted: boolean,
  code: number | null,
  signal: NodeJS.Signals | null,
  stderr: string,
  consoleLines: string[],
): { logLine: string; unexpected: { reason: string; hint: string } } {
  // An adopted QEMU is not our child: that it is gone is all there is to know.
  const logLine = `QEMU exited (${signal ?? (adopted ? 'an adopted QEMU: how is not known' : `code ${code}`)})`;
  return {
    logLine,
    unexpected: {
      reason: unexpectedExitReason({ code, signal, adopted, stderr, consoleLines }),
      hint: 'Run `berth start` to boot it again; `berth logs` shows the console up to the failure.',
    },
  };
}
