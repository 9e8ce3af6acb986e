import { useCallback, useState } from 'react';
import type { BerthError } from '../../../electron/base/errors';

/**
 * One agent action at a time per view: which one is running (to disable its button and say so), and the
 * error of the last one (shown until dismissed or the next action starts). `act` resolves to whether it worked.
 */
export function useBusyAction() {
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<BerthError | null>(null);
  const act = useCallback(async (key: string, run: () => Promise<unknown>): Promise<boolean> => {
    setBusy(key);
    setError(null);
    try {
      await run();
      return true;
    } catch (err) {
      setError(err as BerthError);
      return false;
    } finally {
      setBusy(null);
    }
  }, []);
  return { busy, error, setError, act };
}
