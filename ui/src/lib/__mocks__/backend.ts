// Stand-in for `lib/backend.ts` in Vitest (`vi.mock("…/lib/backend")` picks it up). Commands are
// `vi.fn`s with harmless defaults; events are delivered by the `emit…` helpers below.

import { vi } from "vitest";
import type { AppInfo } from "../../bindings/AppInfo";
import type { ChannelHealth } from "../../bindings/ChannelHealth";
import type { ChannelSettings } from "../../bindings/ChannelSettings";
import type { ChannelView } from "../../bindings/ChannelView";
import type { ConnectOutcome } from "../../bindings/ConnectOutcome";
import type { ConnectStarted } from "../../bindings/ConnectStarted";
import type { FailureFilter } from "../../bindings/FailureFilter";
import type { OrderQuery } from "../../bindings/OrderQuery";
import type { OrdersPage } from "../../bindings/OrdersPage";
import type { OrderStatus } from "../../bindings/OrderStatus";
import type { OutboxEntry } from "../../bindings/OutboxEntry";
import type { RunFilter } from "../../bindings/RunFilter";
import type { SyncFailure } from "../../bindings/SyncFailure";
import type { SyncProgress } from "../../bindings/SyncProgress";
import type { SyncRun } from "../../bindings/SyncRun";
import type { DemoPlatform, LightspeedPlatform, Unsubscribe } from "../backend";

export type { DemoPlatform, LightspeedPlatform, Unsubscribe };

const connectHandlers = new Set<(outcome: ConnectOutcome) => void>();
const syncHandlers = new Set<(progress: SyncProgress) => void>();

export const defaultAppInfo: AppInfo = {
  version: "0.1.0",
  demoMode: false,
  demoShop: null,
  keychainAvailable: true,
  dataDir: "/home/merchant/.local/share/counterline",
  demoBigcommerceStore: null,
  demoWoocommerceSite: null,
  // No Lightspeed app registration: the credential platforms, and Shopify's registration.
  connectablePlatforms: ["shopify", "bigcommerce", "woocommerce"],
};

/** What `app_info` says when the app runs against its built-in sandbox. */
export const demoAppInfo: AppInfo = {
  ...defaultAppInfo,
  demoMode: true,
  demoShop: "counterline-demo.myshopify.com",
  demoBigcommerceStore: "cl0demo",
  demoWoocommerceSite: "shop.counterline-demo.test",
  // The sandbox plays X- and R-Series' consent pages.
  connectablePlatforms: ["shopify", "bigcommerce", "woocommerce", "xseries", "rseries"],
};

export const appInfo = vi.fn<() => Promise<AppInfo>>();
export const channelsList = vi.fn<() => Promise<ChannelView[]>>();
export const shopifyConnectStart = vi.fn<(shop: string) => Promise<ConnectStarted>>();
export const lightspeedConnectStart = vi.fn<(platform: LightspeedPlatform) => Promise<ConnectStarted>>();
export const bigcommerceConnect = vi.fn<(storeHash: string, accessToken: string) => Promise<ChannelView>>();
export const woocommerceConnectStart = vi.fn<(siteUrl: string) => Promise<ConnectStarted>>();
export const woocommerceConnectKeys =
  vi.fn<(siteUrl: string, consumerKey: string, consumerSecret: string) => Promise<ChannelView>>();
export const demoConnect = vi.fn<(platform: DemoPlatform) => Promise<ChannelView>>();
export const channelSync = vi.fn<(channelId: number) => Promise<void>>();
export const channelSetPaused = vi.fn<(channelId: number, paused: boolean) => Promise<ChannelView>>();
export const channelDisconnect = vi.fn<(channelId: number) => Promise<void>>();
export const channelReauthorize = vi.fn<(channelId: number) => Promise<ConnectStarted>>();
export const channelUpdateSettings =
  vi.fn<(channelId: number, settings: ChannelSettings) => Promise<ChannelView>>();
export const channelCheck = vi.fn<(channelId: number) => Promise<ChannelHealth>>();
export const ordersPage = vi.fn<(query: OrderQuery) => Promise<OrdersPage>>();
export const orderSetStatus = vi.fn<(orderId: number, status: OrderStatus) => Promise<void>>();
export const orderFulfill = vi.fn<(orderId: number, carrier: string, trackingNumber: string, trackingUrl: string | null) => Promise<void>>();
export const outboxEntries = vi.fn<(channelId: number | null) => Promise<OutboxEntry[]>>();
export const outboxResolve = vi.fn<(id: number, sendAnyway: boolean) => Promise<void>>();
export const syncRuns = vi.fn<(filter: RunFilter) => Promise<SyncRun[]>>();
export const syncFailures = vi.fn<(filter: FailureFilter) => Promise<SyncFailure[]>>();
export const syncFailureRetry = vi.fn<(id: number) => Promise<SyncFailure>>();

/** What `channel_check` says about a channel whose store answers and has nothing to report. */
export function healthyCheck(channelId: number): ChannelHealth {
  return {
    channelId,
    credentialsOk: true,
    message: "Connected: Harbour Goods answered with a working token.",
    checkedAt: Date.UTC(2025, 0, 15, 10, 5),
    lastError: null,
    lastErrorAt: null,
    lastOrderAt: Date.UTC(2025, 0, 15, 9, 30),
    ordersWithoutEmail: 0,
    ordersUnmatched: 0,
  };
}

export const onConnectOutcome = vi.fn(
  async (handler: (outcome: ConnectOutcome) => void): Promise<Unsubscribe> => {
    connectHandlers.add(handler);
    return () => connectHandlers.delete(handler);
  },
);

export const onSyncProgress = vi.fn(
  async (handler: (progress: SyncProgress) => void): Promise<Unsubscribe> => {
    syncHandlers.add(handler);
    return () => syncHandlers.delete(handler);
  },
);

export function emitConnectOutcome(outcome: ConnectOutcome): void {
  for (const handler of [...connectHandlers]) handler(outcome);
}

export function emitSyncProgress(progress: SyncProgress): void {
  for (const handler of [...syncHandlers]) handler(progress);
}

export function listenerCount(): { connect: number; sync: number } {
  return { connect: connectHandlers.size, sync: syncHandlers.size };
}

/** Puts every command back to an empty, healthy installation. */
export function resetFakeBackend(): void {
  connectHandlers.clear();
  syncHandlers.clear();
  appInfo.mockReset().mockResolvedValue(defaultAppInfo);
  channelsList.mockReset().mockResolvedValue([]);
  shopifyConnectStart.mockReset().mockRejectedValue({ code: "internal", message: "not stubbed" });
  channelSync.mockReset().mockResolvedValue(undefined);
  const notStubbed = { code: "internal", message: "not stubbed" } as const;
  lightspeedConnectStart.mockReset().mockRejectedValue(notStubbed);
  bigcommerceConnect.mockReset().mockRejectedValue(notStubbed);
  woocommerceConnectStart.mockReset().mockRejectedValue(notStubbed);
  woocommerceConnectKeys.mockReset().mockRejectedValue(notStubbed);
  demoConnect.mockReset().mockRejectedValue(notStubbed);
  channelSetPaused.mockReset().mockRejectedValue(notStubbed);
  channelDisconnect.mockReset().mockResolvedValue(undefined);
  channelReauthorize.mockReset().mockRejectedValue(notStubbed);
  channelUpdateSettings.mockReset().mockRejectedValue(notStubbed);
  channelCheck.mockReset().mockImplementation(async (channelId) => healthyCheck(channelId));
  ordersPage.mockReset().mockResolvedValue({ rows: [], next: null, total: 0 });
  orderSetStatus.mockReset().mockResolvedValue(undefined);
  orderFulfill.mockReset().mockResolvedValue(undefined);
  outboxEntries.mockReset().mockResolvedValue([]);
  outboxResolve.mockReset().mockResolvedValue(undefined);
  syncRuns.mockReset().mockResolvedValue([]);
  syncFailures.mockReset().mockResolvedValue([]);
  syncFailureRetry.mockReset().mockRejectedValue(notStubbed);
}

resetFakeBackend();
