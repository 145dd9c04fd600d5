import type { ChannelHealth } from "../bindings/ChannelHealth";
import type { ChannelSettings } from "../bindings/ChannelSettings";
import type { ChannelView } from "../bindings/ChannelView";
import type { OrderRow } from "../bindings/OrderRow";
import type { SyncFailure } from "../bindings/SyncFailure";
import type { SyncRun } from "../bindings/SyncRun";

/** A freshly connected channel's settings, as the migration's defaults make them. */
export function settingsFixture(overrides: Partial<ChannelSettings> = {}): ChannelSettings {
  return {
    syncDirection: "pull",
    autoSyncMinutes: null,
    priceList: null,
    warehouse: null,
    orderPrefix: "",
    ...overrides,
  };
}

export function channelFixture(overrides: Partial<ChannelView> = {}): ChannelView {
  return {
    id: 1,
    platform: "shopify",
    name: "Harbour Goods",
    account: "harbour-goods.myshopify.com",
    status: "active",
    statusDetail: null,
    lastOrderAt: Date.UTC(2025, 0, 15, 9, 30),
    lastSyncedAt: Date.UTC(2025, 0, 15, 10, 0),
    orderCount: 1250,
    settings: settingsFixture(),
    ...overrides,
  };
}

export function healthFixture(overrides: Partial<ChannelHealth> = {}): ChannelHealth {
  return {
    channelId: 1,
    credentialsOk: true,
    message: "Connected: Harbour Goods answered with a working token.",
    checkedAt: Date.UTC(2025, 0, 15, 10, 5),
    lastError: null,
    lastErrorAt: null,
    lastOrderAt: Date.UTC(2025, 0, 15, 9, 30),
    ordersWithoutEmail: 0,
    ordersUnmatched: 0,
    ...overrides,
  };
}

/** Orders numbered down from `first`, newest first, one minute apart, as the backend pages them. */
export function orderRows(count: number, first = 5000): OrderRow[] {
  return Array.from({ length: count }, (_, index) => {
    const id = first - index;
    return {
      id,
      channelId: 1,
      channelName: "Harbour Goods",
      platform: "shopify",
      number: `#${id}`,
      createdAt: Date.UTC(2025, 0, 15) - index * 60_000,
      customerName: `Customer ${id}`,
      email: `customer${id}@example.com`,
      status: "processing",
      financialStatus: "PAID",
      fulfillmentStatus: null,
      totalMinor: 1999,
      currency: "USD",
      itemCount: 2,
    };
  });
}

/** A finished, successful scheduled run of channel 1 that imported one page. */
export function runFixture(overrides: Partial<SyncRun> = {}): SyncRun {
  return {
    id: 1,
    channelId: 1,
    channelName: "Harbour Goods",
    platform: "shopify",
    trigger: "scheduled",
    startedAt: Date.now() - 3600_000,
    endedAt: Date.now() - 3600_000 + 42_000,
    pages: 1,
    ordersNew: 12,
    ordersUpdated: 3,
    ordersUnchanged: 85,
    requests: 2,
    throttled: 0,
    error: null,
    outcome: "ok",
    failures: 0,
    ...overrides,
  };
}

/** An open failure: one order of channel 1 the last sync could not store. */
export function failureFixture(overrides: Partial<SyncFailure> = {}): SyncFailure {
  return {
    id: 7,
    runId: 1,
    channelId: 1,
    channelName: "Harbour Goods",
    platform: "shopify",
    kind: "order",
    externalId: "1042",
    message: "The order has a line with no title.",
    retryFromMs: Date.now() - 7200_000,
    createdAt: Date.now() - 3600_000,
    resolvedAt: null,
    ...overrides,
  };
}
