import { useCallback, useEffect, useState } from 'react';
import type { BerthError } from '../../../electron/base/errors';
import { useConnection } from '../connection/connection';

/** A call made when the view shows (and again after a reconnect or reload()), with its loading and error state. */
export function useAgentCall<T>(run: () => Promise<T>, deps: unknown[]): { data: T | null; error: BerthError | null; loading: boolean; reload(): void } {
  const open = useConnection((c) => c.state === 'open');
  const [state, setState] = useState<{ data: T | null; error: BerthError | null; loading: boolean }>({ data: null, error: null, loading: true });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (!open) return;
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    run().then(
      (data) => live && setState({ data, error: null, loading: false }),
      (error: BerthError) => live && setState({ data: null, error, loading: false }),
    );
    return () => {
      live = false;
    };
  }, [open, tick, ...deps]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { ...state, reload };
}
