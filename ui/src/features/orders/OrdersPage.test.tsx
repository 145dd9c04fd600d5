import { act, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { OrderQuery } from "../../bindings/OrderQuery";
import * as backend from "../../lib/__mocks__/backend";
import { channelFixture, orderRows } from "../../test/fixtures";
import { renderApp } from "../../test/renderApp";
import { defaultSort, localMidnight } from "./orderSearch";
import { ORDER_ROW_HEIGHT } from "./OrdersTable";

vi.mock("../../lib/backend");

const noFilter = { channelIds: [], statuses: [], createdFrom: null, createdTo: null, customer: null, text: null };

/** Scrolls the list's own scroll container, the way a merchant's wheel would. */
function scrollOrdersTo(offset: number) {
  const scroller = screen.getByTestId("orders-scroll");
  Object.defineProperty(scroller, "scrollTop", { configurable: true, value: offset });
  fireEvent.scroll(scroller);
}

describe("OrdersPage", () => {
  beforeEach(() => {
    backend.resetFakeBackend();
    backend.channelsList.mockResolvedValue([channelFixture(), channelFixture({ id: 2, name: "Market Stall" })]);
    // jsdom lays nothing out; give the list a window-sized viewport to virtualize against.
    vi.spyOn(Element.prototype, "clientHeight", "get").mockReturnValue(800);
    vi.spyOn(Element.prototype, "clientWidth", "get").mockReturnValue(1200);
  });

  it("asks for the next page with the cursor the previous page returned", async () => {
    backend.ordersPage.mockImplementation(async (query: OrderQuery) =>
      query.after === null ? { rows: orderRows(100, 5000), next: "cursor-1" } : { rows: orderRows(50, 4900), next: null },
    );
    backend.ordersCount.mockResolvedValue({ total: 150, capped: false });
    renderApp("/orders");

    expect(await screen.findByTestId("orders-total")).toHaveTextContent("150 orders");
    expect(backend.ordersPage).toHaveBeenCalledTimes(1);
    expect(backend.ordersPage).toHaveBeenLastCalledWith({ filter: noFilter, sort: defaultSort, after: null, limit: 100 });
    // Only what fits on screen is in the DOM, not the whole page of 100.
    expect(screen.getAllByTestId("order-row").length).toBeLessThan(40);

    act(() => scrollOrdersTo(90 * ORDER_ROW_HEIGHT));
    await waitFor(() => expect(backend.ordersPage).toHaveBeenCalledTimes(2));
    expect(backend.ordersPage).toHaveBeenLastCalledWith({ filter: noFilter, sort: defaultSort, after: "cursor-1", limit: 100 });

    act(() => scrollOrdersTo(140 * ORDER_ROW_HEIGHT));
    expect(await screen.findByText("#4851")).toBeInTheDocument();
    // The last page had no cursor: nothing more is requested however far the merchant scrolls.
    expect(backend.ordersPage).toHaveBeenCalledTimes(2);
  });

  it("renders an order's columns and marks one whose change hasn't reached its channel", async () => {
    backend.ordersPage.mockResolvedValue({
      rows: [
        {
          ...orderRows(1)[0]!,
          number: "#1001",
          status: "shipped",
          financialStatus: "PARTIALLY_REFUNDED",
          fulfillmentStatus: "FULFILLED",
          totalMinor: 4250,
          currency: "JPY",
          syncState: "waiting",
        },
        { ...orderRows(1, 1000)[0]!, syncState: "synced" },
      ],
      next: null,
    });
    backend.ordersCount.mockResolvedValue({ total: 1, capped: false });
    renderApp("/orders");

    const [waiting, synced] = await screen.findAllByTestId("order-row");
    expect(waiting).toHaveAttribute("data-order-number", "#1001");
    expect(waiting).toHaveTextContent("Shipped");
    expect(waiting).toHaveTextContent("Partially refunded");
    expect(waiting).toHaveTextContent("Fulfilled");
    expect(waiting).toHaveTextContent("¥4,250");
    expect(within(waiting!).getByTestId("order-sync-mark")).toHaveTextContent("Waiting");
    // A synced order is the normal case and carries no mark.
    expect(within(synced!).queryByTestId("order-sync-mark")).toBeNull();
    expect(screen.getByTestId("orders-total")).toHaveTextContent("1 order");
  });

  it("says where counting stopped instead of pretending to an exact number", async () => {
    backend.ordersPage.mockResolvedValue({ rows: orderRows(3), next: "more" });
    backend.ordersCount.mockResolvedValue({ total: 100_000, capped: true });
    renderApp("/orders");
    expect(await screen.findByTestId("orders-total")).toHaveTextContent("100,000+ orders");
  });

  it("reads filters and sort from the URL, so a view reopens as it was", async () => {
    backend.ordersPage.mockResolvedValue({ rows: orderRows(3), next: null });
    renderApp("/orders?channel=2&status=processing&status=shipped&from=2026-11-01&to=2026-11-24&customer=ann&q=1042&sort=total&dir=asc");

    await screen.findAllByTestId("order-row");
    const filter = {
      channelIds: [2],
      statuses: ["processing", "shipped"],
      // Local midnight of the first day up to local midnight after the last: both days whole.
      createdFrom: localMidnight("2026-11-01"),
      createdTo: localMidnight("2026-11-25"),
      customer: "ann",
      text: "1042",
    };
    expect(backend.ordersPage).toHaveBeenLastCalledWith({ filter, sort: { column: "total", direction: "asc" }, after: null, limit: 100 });
    expect(backend.ordersCount).toHaveBeenLastCalledWith(filter);
    expect(screen.getByTestId("sort-total").closest("th")).toHaveAttribute("aria-sort", "ascending");
    expect(screen.getByTestId("sort-createdAt").closest("th")).toHaveAttribute("aria-sort", "none");
  });

  it("sorts by a clicked header, flips on a second click, and Back undoes it", async () => {
    backend.ordersPage.mockResolvedValue({ rows: orderRows(3), next: null });
    const app = renderApp("/orders");
    await screen.findAllByTestId("order-row");

    await app.user.click(screen.getByTestId("sort-customer"));
    await waitFor(() => expect(app.router.state.location.search).toBe("?sort=customer&dir=asc"));
    expect(backend.ordersPage).toHaveBeenLastCalledWith(expect.objectContaining({ sort: { column: "customer", direction: "asc" } }));

    await app.user.click(screen.getByTestId("sort-customer"));
    await waitFor(() => expect(screen.getByTestId("sort-customer").closest("th")).toHaveAttribute("aria-sort", "descending"));

    await act(() => app.router.navigate(-1));
    await waitFor(() => expect(screen.getByTestId("sort-customer").closest("th")).toHaveAttribute("aria-sort", "ascending"));
  });

  it("searches once the merchant stops typing, and Back restores the previous search", async () => {
    backend.ordersPage.mockResolvedValue({ rows: orderRows(3), next: null });
    const app = renderApp("/orders?status=pending");
    await screen.findAllByTestId("order-row");

    await app.user.keyboard("/");
    expect(screen.getByTestId("orders-search")).toHaveFocus();
    await app.user.keyboard("SKU-9");

    await waitFor(() =>
      expect(backend.ordersPage).toHaveBeenLastCalledWith(
        expect.objectContaining({ filter: { ...noFilter, statuses: ["pending"], text: "SKU-9" } }),
      ),
    );
    // Debounced: typing five characters did not send five queries.
    expect(backend.ordersPage.mock.calls.length).toBeLessThanOrEqual(3);
    expect(app.router.state.location.search).toBe("?status=pending&q=SKU-9");

    await app.user.click(screen.getByTestId("sort-total"));
    await waitFor(() => expect(app.router.state.location.search).toContain("sort=total"));
    await act(() => app.router.navigate(-1));
    await waitFor(() => expect(app.router.state.location.search).toBe("?status=pending&q=SKU-9"));
    expect(screen.getByTestId("orders-search")).toHaveValue("SKU-9");
  });

  it("moves the highlighted row with the arrow keys and opens it with Enter", async () => {
    backend.ordersPage.mockResolvedValue({ rows: orderRows(5), next: null });
    const app = renderApp("/orders");
    const rows = await screen.findAllByTestId("order-row");

    await app.user.keyboard("{ArrowDown}{ArrowDown}{ArrowDown}{ArrowUp}");
    expect(rows[1]).toHaveAttribute("aria-selected", "true");
    expect(rows[0]).toHaveAttribute("aria-selected", "false");

    await app.user.keyboard("{Enter}");
    expect(app.router.state.location.pathname).toBe("/orders/4999");
  });

  it("exports the current filter and sort and says where the file went", async () => {
    backend.ordersPage.mockResolvedValue({ rows: orderRows(3), next: null });
    backend.ordersCount.mockResolvedValue({ total: 3, capped: false });
    backend.ordersExportCsv.mockResolvedValue({ path: "/home/merchant/Downloads/orders-2026-11-24-101500.csv", rows: 3 });
    const app = renderApp("/orders?channel=1&sort=number&dir=asc");
    await screen.findAllByTestId("order-row");

    await app.user.click(screen.getByTestId("orders-export"));
    expect(await screen.findByTestId("orders-exported")).toHaveTextContent(
      "Saved to /home/merchant/Downloads/orders-2026-11-24-101500.csv",
    );
    expect(screen.getByText("Exported 3 orders")).toBeInTheDocument();
    expect(backend.ordersExportCsv).toHaveBeenCalledWith({ ...noFilter, channelIds: [1] }, { column: "number", direction: "asc" });
  });

  it("says there is nothing to show until a channel is connected", async () => {
    backend.channelsList.mockResolvedValue([]);
    renderApp("/orders");
    expect(await screen.findByText("Connect a sales channel to see its orders here.")).toBeInTheDocument();
    expect(screen.getByTestId("connect-shopify")).toBeInTheDocument();
  });

  it("keeps listing a disconnected channel's orders when no channel is connected", async () => {
    backend.channelsList.mockResolvedValue([]);
    backend.ordersPage.mockResolvedValue({ rows: orderRows(3, 10), next: null });
    backend.ordersCount.mockResolvedValue({ total: 3, capped: false });
    renderApp("/orders");

    expect(await screen.findByTestId("orders-total")).toHaveTextContent("3 orders");
    expect(screen.queryByText("No orders yet")).not.toBeInTheDocument();
  });

  it("says so when the filters match nothing, and clears them on request", async () => {
    backend.ordersPage.mockResolvedValue({ rows: [], next: null });
    const app = renderApp("/orders?status=returned&customer=nobody&sort=total&dir=asc");
    expect(await screen.findByText("No orders match these filters")).toBeInTheDocument();

    await app.user.click(screen.getByRole("button", { name: "Clear filters" }));
    // The sort is how the merchant reads the list, not a filter: it stays.
    await waitFor(() => expect(app.router.state.location.search).toBe("?sort=total&dir=asc"));
    expect(screen.getByTestId("orders-customer")).toHaveValue("");
  });

  it("shows the backend's message and retries on request", async () => {
    backend.ordersPage.mockRejectedValueOnce({ code: "database", message: "The order database is locked by another program." });
    backend.ordersPage.mockResolvedValue({ rows: orderRows(2), next: null });
    const app = renderApp("/orders");

    expect(await screen.findByText("The order database is locked by another program.")).toBeInTheDocument();
    await app.user.click(screen.getByRole("button", { name: "Retry" }));
    expect(await screen.findAllByTestId("order-row")).toHaveLength(2);
  });

  it("re-reads the list and the count when a sync reports progress", async () => {
    backend.ordersPage.mockResolvedValue({ rows: orderRows(2), next: null });
    backend.ordersCount.mockResolvedValue({ total: 2, capped: false });
    renderApp("/orders");
    await screen.findAllByTestId("order-row");
    const before = backend.ordersPage.mock.calls.length;

    backend.ordersPage.mockResolvedValue({ rows: orderRows(3), next: null });
    backend.ordersCount.mockResolvedValue({ total: 3, capped: false });
    act(() => backend.emitSyncProgress({ channelId: 1, pages: 1, orders: 1, newOrders: 1, updatedOrders: 0, done: false, expectedPages: null, etaMs: null, error: null }));

    expect(await screen.findByText("3 orders")).toBeInTheDocument();
    expect(backend.ordersPage.mock.calls.length).toBe(before + 1);
  });
});
