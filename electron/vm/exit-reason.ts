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
