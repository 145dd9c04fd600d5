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
import type { CsvExport } from "../../bindings/CsvExport";
import type { Location } from "../../bindings/Location";
import type { LocationKind } from "../../bindings/LocationKind";
import type { OrderCount } from "../../bindings/OrderCount";
import type { OrderDetail } from "../../bindings/OrderDetail";
import type { OrderFilter } from "../../bindings/OrderFilter";
import type { OrderQuery } from "../../bindings/OrderQuery";
import type { OrderSort } from "../../bindings/OrderSort";
import type { OrdersPage } from "../../bindings/OrdersPage";
import type { OrderStatus } from "../../bindings/OrderStatus";
import type { OutboxEntry } from "../../bindings/OutboxEntry";
import type { RunFilter } from "../../bindings/RunFilter";
import type { ShipmentRequest } from "../../bindings/ShipmentRequest";
import type { StockLevel } from "../../bindings/StockLevel";
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
export const ordersCount = vi.fn<(filter: OrderFilter) => Promise<OrderCount>>();
export const orderDetail = vi.fn<(orderId: number) => Promise<OrderDetail>>();
export const orderShip = vi.fn<(request: ShipmentRequest) => Promise<OrderDetail>>();
export const ordersExportCsv = vi.fn<(filter: OrderFilter, sort: OrderSort) => Promise<CsvExport>>();
export const locationsList = vi.fn<() => Promise<Location[]>>();
export const locationSave = vi.fn<(id: number | null, name: string, kind: LocationKind) => Promise<Location>>();
export const stockLevels = vi.fn<(locationId: number, skus: string[]) => Promise<StockLevel[]>>();
export const stockSet = vi.fn<(locationId: number, sku: string, onHand: number) => Promise<void>>();
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
  ordersPage.mockReset().mockResolvedValue({ rows: [], next: null });
  ordersCount.mockReset().mockResolvedValue({ total: 0, capped: false });
  orderDetail.mockReset().mockRejectedValue(notStubbed);
  orderShip.mockReset().mockRejectedValue(notStubbed);
  ordersExportCsv.mockReset().mockRejectedValue(notStubbed);
  locationsList.mockReset().mockResolvedValue([]);
  locationSave.mockReset().mockRejectedValue(notStubbed);
  stockLevels.mockReset().mockImplementation(async (locationId, skus) => skus.map((sku) => ({ locationId, sku, onHand: 0 })));
  stockSet.mockReset().mockResolvedValue(undefined);
  orderSetStatus.mockReset().mockResolvedValue(undefined);
  orderFulfill.mockReset().mockResolvedValue(undefined);
  outboxEntries.mockReset().mockResolvedValue([]);
  outboxResolve.mockReset().mockResolvedValue(undefined);
  syncRuns.mockReset().mockResolvedValue([]);
  syncFailures.mockReset().mockResolvedValue([]);
  syncFailureRetry.mockReset().mockRejectedValue(notStubbed);
  resetLoyaltyBackend();
}

// ── Members and loyalty (issue 6) ───────────────────────────────────────────────────────────────

import type { ImportPreview } from "../../bindings/ImportPreview";
import type { ImportResult } from "../../bindings/ImportResult";
import type { Insights } from "../../bindings/Insights";
import type { InsightsQuery } from "../../bindings/InsightsQuery";
import type { LedgerEntry } from "../../bindings/LedgerEntry";
import type { LoyaltySettings } from "../../bindings/LoyaltySettings";
import type { MemberInput } from "../../bindings/MemberInput";
import type { MemberOrdersPage } from "../../bindings/MemberOrdersPage";
import type { MemberProfile } from "../../bindings/MemberProfile";
import type { MemberQuery } from "../../bindings/MemberQuery";
import type { MembersPage } from "../../bindings/MembersPage";
import type { RfmSummary } from "../../bindings/RfmSummary";
import type { SkuCategory } from "../../bindings/SkuCategory";
import type { UnmatchedPage } from "../../bindings/UnmatchedPage";
import type { UnmatchedQuery } from "../../bindings/UnmatchedQuery";
import type { UnmatchedSummary } from "../../bindings/UnmatchedSummary";
import { defaultLoyaltySettings, emptyInsights } from "../../test/loyaltyFixtures";

export const membersList = vi.fn<(query: MemberQuery) => Promise<MembersPage>>();
export const memberGet = vi.fn<(id: number) => Promise<MemberProfile>>();
export const memberOrders = vi.fn<(id: number, after: string | null, limit: number) => Promise<MemberOrdersPage>>();
export const memberCreate = vi.fn<(input: MemberInput) => Promise<MemberProfile>>();
export const memberUpdate = vi.fn<(id: number, input: MemberInput) => Promise<MemberProfile>>();
export const memberDelete = vi.fn<(id: number) => Promise<void>>();
export const memberAdjustCredit = vi.fn<(id: number, amountMinor: number, reason: string) => Promise<LedgerEntry>>();
export const membersImportPreview = vi.fn<(csv: string) => Promise<ImportPreview>>();
export const membersImport = vi.fn<(csv: string) => Promise<ImportResult>>();
export const membersExport = vi.fn<() => Promise<string>>();
export const unmatchedOrders = vi.fn<(query: UnmatchedQuery) => Promise<UnmatchedPage>>();
export const unmatchedSummary = vi.fn<(channelId: number | null) => Promise<UnmatchedSummary>>();
export const loyaltySettingsGet = vi.fn<() => Promise<LoyaltySettings>>();
export const loyaltySettingsSave = vi.fn<(settings: LoyaltySettings) => Promise<LoyaltySettings>>();
export const skuCategoriesList = vi.fn<() => Promise<SkuCategory[]>>();
export const skuCategorySet = vi.fn<(sku: string, category: string | null) => Promise<void>>();
export const skuCategoriesImport = vi.fn<(csv: string) => Promise<ImportResult>>();
export const loyaltyCategories = vi.fn<() => Promise<string[]>>();
export const rfmRecompute = vi.fn<() => Promise<RfmSummary>>();
export const loyaltyInsights = vi.fn<(query: InsightsQuery) => Promise<Insights>>();

/** No members, default rules, nothing unmatched. */
export function resetLoyaltyBackend(): void {
  const notStubbed = { code: "internal", message: "not stubbed" } as const;
  membersList.mockReset().mockResolvedValue({ rows: [], total: 0 });
  memberGet.mockReset().mockRejectedValue({ code: "not_found", message: "This member no longer exists." });
  memberOrders.mockReset().mockResolvedValue({ rows: [], next: null });
  memberCreate.mockReset().mockRejectedValue(notStubbed);
  memberUpdate.mockReset().mockRejectedValue(notStubbed);
  memberDelete.mockReset().mockResolvedValue(undefined);
  memberAdjustCredit.mockReset().mockRejectedValue(notStubbed);
  membersImportPreview.mockReset().mockRejectedValue(notStubbed);
  membersImport.mockReset().mockRejectedValue(notStubbed);
  membersExport.mockReset().mockResolvedValue("email,name,phone,note,tier,credit,segment,orders,spend,first_order,last_order\n");
  unmatchedOrders.mockReset().mockResolvedValue({ rows: [], next: null });
  unmatchedSummary.mockReset().mockResolvedValue({ noEmail: 0, noMember: 0 });
  loyaltySettingsGet.mockReset().mockResolvedValue(defaultLoyaltySettings());
  loyaltySettingsSave.mockReset().mockImplementation(async (settings) => settings);
  skuCategoriesList.mockReset().mockResolvedValue([]);
  skuCategorySet.mockReset().mockResolvedValue(undefined);
  skuCategoriesImport.mockReset().mockRejectedValue(notStubbed);
  loyaltyCategories.mockReset().mockResolvedValue([]);
  rfmRecompute.mockReset().mockResolvedValue({ computedAt: Date.now(), members: 0, bySegment: [] });
  loyaltyInsights.mockReset().mockImplementation(async (query) => emptyInsights(query.from, query.to));
}

resetFakeBackend();
