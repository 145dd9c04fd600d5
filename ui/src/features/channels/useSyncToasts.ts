// One toast per channel sync, updated in place as `sync-progress` events arrive, the way
// Shopify's admin reports background work.

import { notifications } from "@mantine/notifications";
import { useQueryClient, type QueryClient } from "@tanstack/react-query";
import { useRef } from "react";
import type { ChannelView } from "../../bindings/ChannelView";
import type { SyncProgress } from "../../bindings/SyncProgress";
import { onSyncProgress } from "../../lib/backend";
import { channelsKey } from "../../lib/queryKeys";
import { formatCount } from "../../lib/text";
import { useBackendEvent } from "../../lib/useBackendEvent";
import { recordSyncProgress, syncOutcome } from "./syncProgress";

function channelName(queryClient: QueryClient, channelId: number): string {
  const channels = queryClient.getQueryData<ChannelView[]>(channelsKey);
  return channels?.find((channel) => channel.id === channelId)?.name ?? "your channel";
}

export function syncToastContent(progress: SyncProgress, name: string) {
  if (progress.error) {
    return {
      color: "red",
      title: `Sync of ${name} stopped`,
      message: progress.error.message,
      loading: false,
      autoClose: false,
    } as const;
  }
  if (progress.done) {
    return {
      color: "green",
      title: name,
      message: syncOutcome(progress),
      loading: false,
      autoClose: 5000,
    } as const;
  }
  return {
    color: undefined,
    title: name,
    message: `Importing orders from ${name}: ${formatCount(progress.orders)} so far`,
    loading: true,
    autoClose: false,
  } as const;
}

export function useSyncToasts(): void {
  const queryClient = useQueryClient();
  // Toasts currently on screen; one the merchant closed is shown afresh by the next event.
  const shown = useRef(new Set<string>());

  useBackendEvent(onSyncProgress, (progress) => {
    recordSyncProgress(progress);
    if (progress.done || progress.error) {
      // Order counts, last-order times and health all changed; the channel list re-reads them.
      void queryClient.invalidateQueries({ queryKey: channelsKey });
    }

    const id = `sync-${progress.channelId}`;
    const toast = {
      id,
      withCloseButton: true,
      onClose: () => shown.current.delete(id),
      ...syncToastContent(progress, channelName(queryClient, progress.channelId)),
    };
    if (shown.current.has(id)) {
      notifications.update(toast);
    } else {
      shown.current.add(id);
      notifications.show(toast);
    }
  });
}
