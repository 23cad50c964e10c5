import { useCallback, useEffect, useRef, useState } from 'react';

export interface AsyncState<T> { data: T | undefined; error: unknown; loading: boolean; reload(): void; set(d: T): void }

/** Runs `fn` when `deps` change; keeps the last data while reloading; ignores stale answers. */
export function useAsync<T>(fn: (signal: AbortSignal) => Promise<T>, deps: unknown[]): AsyncState<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const fnRef = useRef(fn);
  fnRef.current = fn;
  useEffect(() => {
    const ac = new AbortController();
    setLoading(true);
    setError(null);
    fnRef.current(ac.signal).then(
      (d) => {
        if (!ac.signal.aborted) {
          setData(d);
          setLoading(false);
        }
      },
      (e) => {
        if (!ac.signal.aborted) {
          setError(e);
          setLoading(false);
        }
      },
    );
    return () => ac.abort();
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { data, error, loading, reload, set: setData };
}
