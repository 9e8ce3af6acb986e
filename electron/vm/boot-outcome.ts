import { BerthError } from '../base/errors';
import type { Accel } from '../contract/vm';

/** How one attempt to boot QEMU on one accelerator ended. */
export type BootOutcome =
  | { kind: 'ready' }
  | { kind: 'no-stage' }
  | { kind: 'exited'; code: number | null; signal: NodeJS.Signals | null; stderr: string }
  | { kind: 'timeout' }
  | { kind: 'cancelled' };

/** What the next attempt does after an outcome other than ready. */
export type NextStep = 'retry-port' | 'retry-crash' | 'fall-back' | 'fail';

/**
 * The accelerator fallback and retry rules in one place: a hung accelerator gives way to the next; a port
 * taken between probe and bind is picked again; a guest that crashed on an accelerator known to work (a rare
 * kernel panic under TCG) boots once more before the user sees an error.
 */
export function nextStep(
  outcome: BootOutcome,
  accel: Accel,
  tries: { port: number; crash: number },
  canFallBack: boolean,
): NextStep {
  if (outcome.kind === 'exited' && /host forwarding|hostfwd/i.test(outcome.stderr) && tries.port < 3) return 'retry-port';
  if (outcome.kind === 'exited' && !canFallBack && !outcome.signal && tries.crash < 1) return 'retry-crash';
  const hung = outcome.kind === 'no-stage' || (outcome.kind === 'exited' && accel !== 'tcg');
  return hung && canFallBack ? 'fall-back' : 'fail';
}

/** Why the boot left one accelerator for the next, as the console log and `berth status` say it. */
export function fallbackNote(outcome: BootOutcome, accel: Accel, next: Accel, probeMs: number): string {
  return outcome.kind === 'no-stage'
    ? `${accel} printed no boot stage within ${Math.round(probeMs / 1000)} s; using ${next}`
    : `${accel} failed (${outcome.kind === 'exited' ? outcome.stderr.trim().split('\n').at(-1) : 'no message'}); using ${next}`;
}

export function bootFailure(outcome: BootOutcome, accel: Accel): BerthError {
  switch (outcome.kind) {
    case 'exited': {
      const how = outcome.signal ? `was killed by ${outcome.signal}` : `exited with code ${outcome.code}`;
      const stderr = outcome.stderr.trim().split('\n').slice(-3).join(' | ');
      return new BerthError(
        'vm',
        `QEMU (${accel}) ${how} during boot${stderr ? `: ${stderr}` : ''}`,
        /No such file|ENOENT/.test(stderr) ? 'Install QEMU: `npx berth doctor --fix`.' : 'See `berth logs` for the guest console.',
      );
    }
    case 'timeout':
      return new BerthError('timeout', `The VM did not finish booting (${accel})`, 'See `berth logs`; slow hosts can raise the boot timeout.');
    case 'cancelled':
      return new BerthError('cancelled', 'The VM start was cancelled', 'Run `berth start` again.');
    default:
      return new BerthError('vm', `The VM did not boot (${accel}): ${outcome.kind}`, 'See `berth logs`.');
  }
}
