// The sync log's data: runs paged newest first by id, and open failed items, both re-read while
// syncs report progress.

import { useThrottledCallback } from "@mantine/hooks";
import { useInfiniteQuery, useQuery, useQueryClient } from "@tanstack/react-query";
import type { RunOutcome } from "../../bindings/RunOutcome";
import { onSyncProgress, syncFailures, syncRuns } from "../../lib/backend";
import { syncLogKey } from "../../lib/queryKeys";
import { useBackendEvent } from "../../lib/useBackendEvent";
import { periodStart, type Period } from "./syncLog";

export const RUNS_PAGE_SIZE = 50;
export const FAILURES_LIMIT = 200;

export type SyncLogFilter = {
  channelId: number | null;
  outcome: RunOutcome | null;
  period: Period;
};

export function useSyncRuns(filter: SyncLogFilter) {
  return useInfiniteQuery({
    queryKey: [...syncLogKey, "runs", filter] as const,
    // The period's start is taken when the page is read, so a refresh moves the window along.
    queryFn: ({ pageParam }) =>
      syncRuns({
        channelId: filter.channelId,
        outcome: filter.outcome,
        sinceMs: periodStart(filter.period),
        beforeId: pageParam,
        limit: RUNS_PAGE_SIZE,
      }),
    initialPageParam: null as number | null,
    getNextPageParam: (page) => (page.length < RUNS_PAGE_SIZE ? undefined : (page.at(-1)?.id ?? undefined)),
    staleTime: 0,
  });
}

export function useOpenFailures(channelId: number | null) {
  return useQuery({
    queryKey: [...syncLogKey, "failures", channelId] as const,
    queryFn: () => syncFailures({ channelId, openOnly: true, limit: FAILURES_LIMIT }),
    staleTime: 0,
  });
}

/**
 * Re-reads the log while syncs run: a run appears when it starts and its tallies change with every
 * page. A backfill sends an event per page, so refreshes are throttled to one a second.
 */
export function useRefreshSyncLogOnSync(): void {
  const queryClient = useQueryClient();
  const refresh = useThrottledCallback(() => {
    void queryClient.invalidateQueries({ queryKey: syncLogKey });
  }, 1000);
  useBackendEvent(onSyncProgress, () => refresh());
}
