import type { ApiMethodName, ApiParams, ApiResult } from "@nqp/contract/api";
import { useCallback, useEffect, useRef, useState } from "react";
import { api } from "../api/client";

export interface Query<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
}

/**
 * Calls an API method and keeps its answer; reloads when `params` change (compared as JSON), on the global refresh
 * shortcut, and every `refreshMs` when given. Stale answers (from an earlier `params`) are dropped.
 */
export function useApi<M extends ApiMethodName>(
  method: M,
  params: ApiParams<M> | null,
  options: { refreshMs?: number } = {},
): Query<ApiResult<M>> {
  const [data, setData] = useState<ApiResult<M>>();
  const [error, setError] = useState<unknown>();
  const [loading, setLoading] = useState(params !== null);
  const key = params === null ? null : JSON.stringify(params);
  const generation = useRef(0);
  const load = useCallback(() => {
    if (key === null) return;
    const g = ++generation.current;
    setLoading(true);
    api()
      .call(method, JSON.parse(key) as ApiParams<M>)
      .then(
        (r) => {
          if (g !== generation.current) return;
          setData(r);
          setError(undefined);
          setLoading(false);
        },
        (e) => {
          if (g !== generation.current) return;
          setError(e);
          setLoading(false);
        },
      );
  }, [method, key]);
  useEffect(() => {
    load();
    const onRefresh = () => load();
    window.addEventListener("nqp:refresh", onRefresh);
    const t = options.refreshMs ? setInterval(load, options.refreshMs) : undefined;
    return () => {
      window.removeEventListener("nqp:refresh", onRefresh);
      if (t) clearInterval(t);
    };
  }, [load, options.refreshMs]);
  return { data, error, loading, reload: load };
}
