import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { api, ApiError, type Session } from './api';

/** What a page needs to draw loading, error and data states. */
export interface Loaded<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  reload: () => void;
}

/** GETs `path` (null: nothing to load), again when it changes, on reload(), and every `pollMs` when given. */
export function useApi<T>(path: string | null, pollMs?: number): Loaded<T> {
  const [state, setState] = useState<{ data: T | undefined; error: ApiError | undefined; loading: boolean }>({ data: undefined, error: undefined, loading: path !== null });
  const [tick, setTick] = useState(0);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  const pathRef = useRef(path);
  useEffect(() => {
    if (path === null) {
      setState({ data: undefined, error: undefined, loading: false });
      return;
    }
    const changed = pathRef.current !== path;
    pathRef.current = path;
    const controller = new AbortController();
    setState((s) => ({ data: changed ? undefined : s.data, error: undefined, loading: true }));
    api.get<T>(path, controller.signal).then(
      (data) => setState({ data, error: undefined, loading: false }),
      (error: unknown) => {
        if ((error as Error).name === 'AbortError') return;
        setState((s) => ({ data: s.data, error: error instanceof ApiError ? error : new ApiError(0, 'UNKNOWN', String(error)), loading: false }));
      },
    );
    return () => controller.abort();
  }, [path, tick]);
  useEffect(() => {
    if (!pollMs || path === null) return;
    const timer = setInterval(reload, pollMs);
    return () => clearInterval(timer);
  }, [pollMs, path, reload]);
  return { ...state, reload };
}

/** The signed-in session (null when signed out), re-rendering on sign-in, refresh and sign-out. */
export function useSession(): Session | null {
  return useSyncExternalStore(
    (cb) => api.subscribe(cb),
    () => api.session,
  );
}

/** Runs an action, tracking whether it is busy and what went wrong. */
export function useAction<A extends unknown[], R>(action: (...args: A) => Promise<R>): { run: (...args: A) => Promise<R | undefined>; busy: boolean; error: ApiError | undefined; clear: () => void } {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();
  const run = async (...args: A) => {
    setBusy(true);
    setError(undefined);
    try {
      return await action(...args);
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, 'UNKNOWN', String(e)));
      return undefined;
    } finally {
      setBusy(false);
    }
  };
  return { run, busy, error, clear: () => setError(undefined) };
}
