import type { ChannelHealth } from "../bindings/ChannelHealth";
import type { ChannelSettings } from "../bindings/ChannelSettings";
import type { ChannelView } from "../bindings/ChannelView";
import type { OrderRow } from "../bindings/OrderRow";

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
