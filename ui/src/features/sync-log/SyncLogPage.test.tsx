import { act, screen, waitFor, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { RunFilter } from "../../bindings/RunFilter";
import * as backend from "../../lib/__mocks__/backend";
import { channelFixture, failureFixture, runFixture } from "../../test/fixtures";
import { renderApp } from "../../test/renderApp";
import { clearSyncProgress } from "../channels/syncProgress";
import { RUNS_PAGE_SIZE } from "./useSyncLog";

vi.mock("../../lib/backend");

const HOUR = 3600_000;
const DAY = 24 * HOUR;

function lastRunFilter(): RunFilter {
  const call = backend.syncRuns.mock.lastCall;
  if (!call) throw new Error("sync_runs was never called");
  return call[0];
}

describe("SyncLogPage", () => {
  beforeEach(() => {
    backend.resetFakeBackend();
    clearSyncProgress();
    backend.channelsList.mockResolvedValue([channelFixture(), channelFixture({ id: 2, name: "Market Stall", platform: "woocommerce" })]);
  });

  it("lists each run with its channel, trigger, tallies and an outcome a merchant can read", async () => {
    backend.syncRuns.mockResolvedValue([
      runFixture({ id: 3, outcome: "running", endedAt: null, trigger: "manual", channelName: "Market Stall" }),
      runFixture({
        id: 2,
        outcome: "failed",
        error: "Shopify refused the saved sign-in. Re-authorize Harbour Goods.",
        throttled: 4,
      }),
      runFixture({ id: 1, ordersNew: 250, ordersUpdated: 7, requests: 6, pages: 3, trigger: "connect" }),
    ]);
    renderApp("/sync-log");

    const rows = await screen.findAllByTestId("sync-run-row");
    expect(rows.map((row) => row.getAttribute("data-outcome"))).toEqual(["running", "failed", "ok"]);
    expect(rows[0]).toHaveTextContent("Market Stall");
    expect(rows[0]).toHaveTextContent("Sync now");
    expect(rows[0]).toHaveTextContent("Running");
    expect(rows[1]).toHaveTextContent("Failed");
    expect(rows[1]).toHaveTextContent("Shopify refused the saved sign-in. Re-authorize Harbour Goods.");
    expect(rows[2]).toHaveTextContent("First import");
    expect(rows[2]).toHaveTextContent("250 / 7");
    expect(rows[2]).toHaveTextContent("42 s");
    expect(rows[2]).toHaveTextContent("1 hour ago");
    expect(rows[2]).toHaveTextContent("OK");
  });

  it("asks for the channel, outcome and period the merchant picks", async () => {
    backend.syncRuns.mockResolvedValue([runFixture()]);
    const app = renderApp("/sync-log");
    await screen.findByTestId("sync-run-row");
    expect(lastRunFilter()).toMatchObject({ channelId: null, outcome: null, beforeId: null, limit: RUNS_PAGE_SIZE });
    // By default the log shows all it keeps: 30 days.
    expect(Date.now() - lastRunFilter().sinceMs!).toBeGreaterThanOrEqual(30 * DAY - 1000);
    expect(Date.now() - lastRunFilter().sinceMs!).toBeLessThan(30 * DAY + 60_000);

    await app.user.click(screen.getByRole("combobox", { name: "Channel" }));
    await app.user.click(await screen.findByRole("option", { name: "Market Stall" }));
    await waitFor(() => expect(lastRunFilter().channelId).toBe(2));
    // Failed items follow the channel filter too.
    await waitFor(() => expect(backend.syncFailures).toHaveBeenLastCalledWith({ channelId: 2, openOnly: true, limit: 200 }));

    await app.user.click(within(screen.getByTestId("sync-filter-outcome")).getByRole("radio", { name: "Failed" }));
    await waitFor(() => expect(lastRunFilter().outcome).toBe("failed"));

    await app.user.click(within(screen.getByTestId("sync-filter-period")).getByRole("radio", { name: "Last 24 hours" }));
    await waitFor(() => expect(Date.now() - lastRunFilter().sinceMs!).toBeLessThan(DAY + 60_000));
    expect(lastRunFilter()).toMatchObject({ channelId: 2, outcome: "failed" });
  });

  it("offers to clear the filters when no run matches them", async () => {
    backend.syncRuns.mockImplementation(async (filter) => (filter.outcome === "running" ? [] : [runFixture()]));
    const app = renderApp("/sync-log");
    await screen.findByTestId("sync-run-row");

    await app.user.click(within(screen.getByTestId("sync-filter-outcome")).getByRole("radio", { name: "Running" }));
    expect(await screen.findByText("No syncs match")).toBeInTheDocument();

    await app.user.click(screen.getByRole("button", { name: "Clear filters" }));
    expect(await screen.findByTestId("sync-run-row")).toBeInTheDocument();
    expect(lastRunFilter().outcome).toBeNull();
  });

  it("says in plain words that nothing has synced before a channel is connected", async () => {
    backend.channelsList.mockResolvedValue([]);
    renderApp("/sync-log");
    expect(await screen.findByText("No syncs yet. Connect a sales channel and its orders sync here.")).toBeInTheDocument();
    expect(screen.queryByTestId("sync-run-row")).not.toBeInTheDocument();
    expect(screen.queryByTestId("sync-failure-row")).not.toBeInTheDocument();
  });

  it("shows a loading state until the log arrives", async () => {
    let answer: (runs: ReturnType<typeof runFixture>[]) => void = () => {};
    backend.syncRuns.mockReturnValue(new Promise((resolve) => (answer = resolve)));
    renderApp("/sync-log");
    expect(await screen.findByTestId("sync-log-loading")).toBeInTheDocument();

    act(() => answer([runFixture()]));
    expect(await screen.findByTestId("sync-run-row")).toBeInTheDocument();
    expect(screen.queryByTestId("sync-log-loading")).not.toBeInTheDocument();
  });

  it("pages to older runs with the last run's id", async () => {
    const firstPage = Array.from({ length: RUNS_PAGE_SIZE }, (_, index) => runFixture({ id: 500 - index }));
    backend.syncRuns.mockImplementation(async (filter) =>
      filter.beforeId === null ? firstPage : [runFixture({ id: 12, channelName: "Market Stall" })],
    );
    const app = renderApp("/sync-log");
    expect(await screen.findAllByTestId("sync-run-row")).toHaveLength(RUNS_PAGE_SIZE);

    await app.user.click(screen.getByRole("button", { name: "Show older syncs" }));
    await waitFor(() => expect(screen.getAllByTestId("sync-run-row")).toHaveLength(RUNS_PAGE_SIZE + 1));
    expect(lastRunFilter().beforeId).toBe(500 - RUNS_PAGE_SIZE + 1);
    expect(screen.queryByRole("button", { name: "Show older syncs" })).not.toBeInTheDocument();
  });

  it("re-reads the log when a sync reports progress", async () => {
    backend.syncRuns.mockResolvedValue([runFixture({ outcome: "running", endedAt: null })]);
    renderApp("/sync-log");
    await screen.findByTestId("sync-run-row");
    await waitFor(() => expect(backend.listenerCount().sync).toBeGreaterThan(0));
    const before = backend.syncRuns.mock.calls.length;

    backend.syncRuns.mockResolvedValue([runFixture({ outcome: "ok" })]);
    act(() => backend.emitSyncProgress({ channelId: 1, pages: 1, orders: 12, newOrders: 12, updatedOrders: 0, done: true, expectedPages: null, etaMs: null, error: null }));

    await waitFor(() => expect(backend.syncRuns.mock.calls.length).toBeGreaterThan(before));
    await waitFor(() => expect(screen.getByTestId("sync-run-row")).toHaveAttribute("data-outcome", "ok"));
  });

  it("retries a failed item and follows its channel's sync until it is done", async () => {
    backend.syncRuns.mockResolvedValue([runFixture({ failures: 1 })]);
    backend.syncFailures.mockResolvedValue([failureFixture()]);
    backend.syncFailureRetry.mockImplementation(async (id) => failureFixture({ id }));
    const app = renderApp("/sync-log");

    const row = await screen.findByTestId("sync-failure-row");
    expect(row).toHaveTextContent("Harbour Goods");
    expect(row).toHaveTextContent("Order 1042");
    expect(row).toHaveTextContent("The order has a line with no title.");

    await app.user.click(within(row).getByTestId("sync-failure-retry"));
    expect(backend.syncFailureRetry).toHaveBeenCalledWith(7);
    expect(await within(row).findByText("Syncing again…")).toBeInTheDocument();

    act(() => backend.emitSyncProgress({ channelId: 1, pages: 1, orders: 40, newOrders: 40, updatedOrders: 0, done: false, expectedPages: null, etaMs: null, error: null }));
    expect(within(row).getByText("Syncing again…")).toBeInTheDocument();

    act(() => backend.emitSyncProgress({ channelId: 1, pages: 2, orders: 80, newOrders: 80, updatedOrders: 0, done: true, expectedPages: null, etaMs: null, error: null }));
    expect(await within(row).findByText("Synced again")).toBeInTheDocument();
    expect(within(row).queryByTestId("sync-failure-retry")).not.toBeInTheDocument();
  });

  it("offers Retry again with the reason when the retried sync stops", async () => {
    backend.syncFailures.mockResolvedValue([failureFixture()]);
    backend.syncFailureRetry.mockImplementation(async (id) => failureFixture({ id }));
    const app = renderApp("/sync-log");
    const row = await screen.findByTestId("sync-failure-row");

    await app.user.click(within(row).getByTestId("sync-failure-retry"));
    await within(row).findByText("Syncing again…");
    act(() =>
      backend.emitSyncProgress({
        channelId: 1,
        pages: 0,
        orders: 0,
        newOrders: 0,
        updatedOrders: 0,
        done: true,
        expectedPages: null,
        etaMs: null,
        error: { code: "channel_unreachable", message: "Shopify did not answer. Check the internet connection." },
      }),
    );

    expect(
      await within(row).findByText("The retry stopped: Shopify did not answer. Check the internet connection."),
    ).toBeInTheDocument();
    expect(within(row).getByTestId("sync-failure-retry")).toBeEnabled();
  });

  it("says why a retry could not start", async () => {
    backend.syncFailures.mockResolvedValue([failureFixture()]);
    backend.syncFailureRetry.mockRejectedValue({
      code: "invalid_input",
      message: "Syncing Harbour Goods is paused. Resume it to retry this item.",
    });
    const app = renderApp("/sync-log");
    const row = await screen.findByTestId("sync-failure-row");

    await app.user.click(within(row).getByTestId("sync-failure-retry"));
    expect(await screen.findByText("Syncing Harbour Goods is paused. Resume it to retry this item.")).toBeInTheDocument();
    expect(within(row).getByTestId("sync-failure-retry")).toBeEnabled();
    expect(within(row).queryByText("Syncing again…")).not.toBeInTheDocument();
  });

  it("shows changes not yet on a channel and settles a conflict the way the merchant chooses", async () => {
    const entry = {
      id: 9,
      channelId: 2,
      orderId: 40,
      orderNumber: "1042",
      status: "shipped" as const,
      tracking: null,
      state: "conflict" as const,
      attempts: 1,
      lastError: "The order changed on WooCommerce after Counterline's last sync. Choose which version to keep.",
      createdAt: Date.now() - HOUR,
    };
    backend.outboxEntries.mockResolvedValue([
      entry,
      { ...entry, id: 10, orderNumber: "1043", state: "pending", lastError: null, tracking: "UPS 1Z999AA10123456784" },
    ]);
    const app = renderApp("/sync-log");

    const rows = await screen.findAllByTestId("outbox-row");
    expect(rows.map((row) => row.getAttribute("data-state"))).toEqual(["conflict", "pending"]);
    expect(rows[0], "the order, its channel, the change and why it waits").toHaveTextContent("Order 1042");
    expect(rows[0]).toHaveTextContent("Market Stall");
    expect(rows[0]).toHaveTextContent("Status → Shipped");
    expect(rows[0]).toHaveTextContent("changed on WooCommerce");
    expect(within(rows[1]!).queryByTestId("outbox-send-anyway"), "a waiting change needs no answer").not.toBeInTheDocument();
    expect(rows[1], "a fulfillment names its carrier and tracking number").toHaveTextContent("Shipped with UPS 1Z999AA10123456784");

    await app.user.click(within(rows[0]!).getByTestId("outbox-keep-theirs"));
    await waitFor(() => expect(backend.outboxResolve).toHaveBeenCalledWith(9, false));
    await app.user.click(within(rows[0]!).getByTestId("outbox-send-anyway"));
    await waitFor(() => expect(backend.outboxResolve).toHaveBeenCalledWith(9, true));
  });

  it("shows no unsent-changes section when every change is confirmed", async () => {
    backend.syncRuns.mockResolvedValue([runFixture()]);
    renderApp("/sync-log");
    await screen.findByTestId("sync-run-row");
    expect(screen.queryByTestId("outbox")).not.toBeInTheDocument();
  });
});
