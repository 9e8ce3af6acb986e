import type { BerthError } from '../../../../electron/base/errors';
import { notify } from '../../stores/notifications';

/**
 * The end of a long stream (pull, push, build): the dialog's phase and error, and a notification either way —
 * these take minutes, and the window may be in the background when they end. A cancel is not announced.
 */
export function onStreamEnd(
  set: { error(e: BerthError | null): void; phase(p: 'done' | 'failed'): void },
  failedTitle: string,
  done: { title: string; body: string },
): (err?: BerthError) => void {
  return (err) => {
    if (err) {
      set.error(err);
      set.phase('failed');
      if (err.code !== 'cancelled') notify(failedTitle, err.message);
    } else {
      set.phase('done');
      notify(done.title, done.body);
    }
  };
}
