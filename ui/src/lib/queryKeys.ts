// Query keys shared by features, so an event in one place can refresh data shown in another.

export const appInfoKey = ["app-info"] as const;
export const channelsKey = ["channels"] as const;
export const ordersKey = ["orders"] as const;

/** The last credential check of one channel (`channel_check` makes a real call to the platform). */
export function channelHealthKey(channelId: number) {
  return ["channel-health", channelId] as const;
}

/** Everything on the sync log page (runs and failed items), refreshed together by sync events. */
export const syncLogKey = ["sync-log"] as const;
