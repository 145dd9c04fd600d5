import { useEffect, useEffectEvent } from "react";
import type { Unsubscribe } from "./backend";

/**
 * Subscribes to a backend event for the component's lifetime. `listen` resolves asynchronously,
 * so an unmount that happens before it resolves must still unsubscribe once it does; otherwise
 * React's double-mount in development would leave duplicate listeners behind.
 */
export function useBackendEvent<T>(
  subscribe: (handler: (payload: T) => void) => Promise<Unsubscribe>,
  handler: (payload: T) => void,
): void {
  const onEvent = useEffectEvent(handler);
  useEffect(() => {
    let unsubscribe: Unsubscribe | undefined;
    let active = true;
    subscribe((payload) => {
      if (active) onEvent(payload);
    })
      .then((stop) => {
        if (active) unsubscribe = stop;
        else stop();
      })
      .catch(() => {
        // Outside the Tauri window (a plain browser during development) there are no events.
      });
    return () => {
      active = false;
      unsubscribe?.();
    };
  }, [subscribe]);
}
