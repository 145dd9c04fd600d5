import { useThrottledCallback } from "@mantine/hooks";
import { useQueryClient } from "@tanstack/react-query";
import { onSyncProgress } from "../../lib/backend";
import { ordersKey } from "../../lib/queryKeys";
import { useBackendEvent } from "../../lib/useBackendEvent";
import { loyaltyKey } from "../members/loyaltyText";

/**
 * Marks what a sync changes as stale: the orders lists, and members' spend, credit, tiers and
 * stamps. Mounted by the app shell, so it also covers syncs that end while another page is
 * open. A backfill sends an event per page, so refreshes are throttled to one a second (the
 * last event always gets its refresh).
 */
export function useRefreshOnSync(): void {
  const queryClient = useQueryClient();
  const refresh = useThrottledCallback(() => {
    void queryClient.invalidateQueries({ queryKey: ordersKey });
    void queryClient.invalidateQueries({ queryKey: loyaltyKey });
  }, 1000);
  useBackendEvent(onSyncProgress, () => refresh());
}
