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

/** Warehouses and stores stock is kept at. */
export const locationsKey = ["locations"] as const;

/** On-hand stock of some SKUs at one location. */
export function stockKey(locationId: number, skus: string[]) {
  return ["stock", locationId, skus] as const;
}
