import { useThrottledCallback } from "@mantine/hooks";
import { useQueryClient } from "@tanstack/react-query";
import { onSyncProgress } from "../../lib/backend";
import { useBackendEvent } from "../../lib/useBackendEvent";
import { loyaltyKey } from "./loyaltyText";

/**
 * A sync that brings orders in changes spend, credit, tiers and stamps; members pages re-read
 * (at most once a second while a backfill sends an event per page).
 */
export function useRefreshLoyaltyOnSync(): void {
  const queryClient = useQueryClient();
  const refresh = useThrottledCallback(() => {
    void queryClient.invalidateQueries({ queryKey: loyaltyKey });
  }, 1000);
  useBackendEvent(onSyncProgress, () => refresh());
}
