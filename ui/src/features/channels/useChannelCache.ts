import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useMemo } from "react";
import type { ChannelView } from "../../bindings/ChannelView";
import { channelsKey, ordersKey } from "../../lib/queryKeys";

/**
 * Writes what a channel command returned straight into the channel list, so the row changes at
 * once instead of after a re-read.
 */
export function useChannelCache() {
  const queryClient = useQueryClient();

  const replace = useCallback(
    (channel: ChannelView) =>
      queryClient.setQueryData<ChannelView[]>(channelsKey, (channels) =>
        channels?.map((known) => (known.id === channel.id ? channel : known)),
      ),
    [queryClient],
  );

  /**
   * A channel that was just connected: a new one goes at the end of the list, a known one (the same
   * store connected again, or re-authorized) keeps its place. The list is re-read afterwards.
   */
  const upsert = useCallback(
    (channel: ChannelView) => {
      queryClient.setQueryData<ChannelView[]>(channelsKey, (channels = []) =>
        channels.some((known) => known.id === channel.id)
          ? channels.map((known) => (known.id === channel.id ? channel : known))
          : [...channels, channel],
      );
      void queryClient.invalidateQueries({ queryKey: channelsKey });
    },
    [queryClient],
  );

  /** A disconnected channel leaves the list; its orders stay, but their rows are re-read. */
  const forget = useCallback(
    async (channelId: number) => {
      queryClient.setQueryData<ChannelView[]>(channelsKey, (channels) =>
        channels?.filter((known) => known.id !== channelId),
      );
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: channelsKey }),
        queryClient.invalidateQueries({ queryKey: ordersKey }),
      ]);
    },
    [queryClient],
  );

  const refreshOrders = useCallback(
    () => queryClient.invalidateQueries({ queryKey: ordersKey }),
    [queryClient],
  );

  return useMemo(
    () => ({ replace, upsert, forget, refreshOrders }),
    [replace, upsert, forget, refreshOrders],
  );
}
