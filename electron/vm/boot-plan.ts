import { BerthError } from '../base/errors';
import type { Accel } from '../contract/vm';
import { bootFailure, fallbackNote, nextStep, type BootOutcome, type NextStep } from './boot-outcome';

export interface BootPlanOptions {
  /** Accelerators in the order to try, the last one without a probe deadline. */
  plan: Accel[];
  probeMs: number;
  /** Why the remembered accelerator was chosen last time, carried on until a boot succeeds. */
  note?: string;
  /** One boot attempt on one accelerator (a fresh host port each time); probeMs null: wait the whole boot. */
  attempt(accel: Accel, probeMs: number | null): Promise<{ outcome: BootOutcome; sshPort: number }>;
  cancelled(): boolean;
  mark(line: string): void;
  /** Remembers an accelerator that gave way, so the next boot starts with the one after it. */
  fellBack(next: Accel, note: string): Promise<void>;
}

/**
 * Boots on the first accelerator of the plan that works, applying the retry and fallback rules of
 * boot-outcome.ts; throws the failure of the last one tried.
 */
export async function bootWithFallback(o: BootPlanOptions): Promise<{ accel: Accel; sshPort: number; note?: string }> {
  let note = o.note;
  for (let i = 0; i < o.plan.length; i++) {
    const accel = o.plan[i];
    const canFallBack = i < o.plan.length - 1;
    let outcome: BootOutcome;
    let step: NextStep = 'fail';
    const tries = { port: 0, crash: 0 };
    for (;;) {
      if (o.cancelled()) {
        outcome = { kind: 'cancelled' };
        break;
      }
      const attempt = await o.attempt(accel, canFallBack ? o.probeMs : null);
      // stop() kills QEMU to cancel a boot: that exit is the cancellation, not a failure.
      outcome = o.cancelled() ? { kind: 'cancelled' } : attempt.outcome;
      if (outcome.kind === 'ready') return { accel, sshPort: attempt.sshPort, note };
      step = outcome.kind === 'cancelled' ? 'fail' : nextStep(outcome, accel, tries, canFallBack);
      if (step === 'retry-port') {
        tries.port++;
        continue;
      }
      if (step === 'retry-crash') {
        tries.crash++;
        o.mark(`guest exited during boot (code ${outcome.kind === 'exited' ? outcome.code : '?'}); booting once more`);
        continue;
      }
      break;
    }
    if (step === 'fall-back') {
      note = fallbackNote(outcome, accel, o.plan[i + 1], o.probeMs);
      o.mark(note);
      await o.fellBack(o.plan[i + 1], note);
      continue;
    }
    throw bootFailure(outcome, accel);
  }
  throw new BerthError('vm', 'No accelerator could boot the VM', 'See `berth logs`.');
}
