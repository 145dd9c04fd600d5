import { act, fireEvent, screen, waitFor } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { OrderQuery } from "../../bindings/OrderQuery";
import * as backend from "../../lib/__mocks__/backend";
import { channelFixture, orderRows } from "../../test/fixtures";
import { renderApp } from "../../test/renderApp";
import { ORDER_ROW_HEIGHT } from "./OrdersTable";

vi.mock("../../lib/backend");

const firstCursor = { createdAt: 1_736_900_000_000, id: 4901 };

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
      query.after === null
        ? { rows: orderRows(100, 5000), next: firstCursor, total: 150 }
        : { rows: orderRows(50, 4900), next: null, total: 150 },
    );
    renderApp("/orders");

    expect(await screen.findByTestId("orders-total")).toHaveTextContent("150 orders");
    expect(backend.ordersPage).toHaveBeenCalledTimes(1);
    expect(backend.ordersPage).toHaveBeenLastCalledWith({ channelId: null, search: null, after: null, limit: 100 });
    // Only what fits on screen is in the DOM, not the whole page of 100.
    expect(screen.getAllByTestId("order-row").length).toBeLessThan(40);

    act(() => scrollOrdersTo(90 * ORDER_ROW_HEIGHT));

    await waitFor(() => expect(backend.ordersPage).toHaveBeenCalledTimes(2));
    expect(backend.ordersPage).toHaveBeenLastCalledWith({
      channelId: null,
      search: null,
      after: firstCursor,
      limit: 100,
    });

    act(() => scrollOrdersTo(140 * ORDER_ROW_HEIGHT));
    expect(await screen.findByText("#4851")).toBeInTheDocument();
    // The last page had no cursor: nothing more is requested however far the merchant scrolls.
    expect(backend.ordersPage).toHaveBeenCalledTimes(2);
  });

  it("renders an order's columns for the merchant", async () => {
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
        },
      ],
      next: null,
      total: 1,
    });
    renderApp("/orders");

    const row = await screen.findByTestId("order-row");
    expect(row).toHaveAttribute("data-order-number", "#1001");
    expect(row).toHaveTextContent("Shipped");
    expect(row).toHaveTextContent("Partially refunded");
    expect(row).toHaveTextContent("Fulfilled");
    expect(row).toHaveTextContent("¥4,250");
    expect(screen.getByTestId("orders-total")).toHaveTextContent("1 order");
  });

  it("searches once the merchant stops typing and starts the list from the top", async () => {
    backend.ordersPage.mockResolvedValue({ rows: orderRows(3), next: null, total: 3 });
    const app = renderApp("/orders");
    await screen.findAllByTestId("order-row");

    await app.user.keyboard("/");
    expect(screen.getByTestId("orders-search")).toHaveFocus();
    await app.user.keyboard("ada@example");

    await waitFor(() =>
      expect(backend.ordersPage).toHaveBeenLastCalledWith({
        channelId: null,
        search: "ada@example",
        after: null,
        limit: 100,
      }),
    );
    // Debounced: typing eleven characters did not send eleven queries.
    expect(backend.ordersPage.mock.calls.length).toBeLessThanOrEqual(3);
  });

  it("moves the highlighted row with the arrow keys", async () => {
    backend.ordersPage.mockResolvedValue({ rows: orderRows(5), next: null, total: 5 });
    const app = renderApp("/orders");
    const rows = await screen.findAllByTestId("order-row");

    await app.user.keyboard("{ArrowDown}{ArrowDown}{ArrowDown}{ArrowUp}");
    expect(rows[1]).toHaveAttribute("aria-selected", "true");
    expect(rows[0]).toHaveAttribute("aria-selected", "false");
  });

  it("says there is nothing to show until a channel is connected", async () => {
    backend.channelsList.mockResolvedValue([]);
    renderApp("/orders");
    expect(await screen.findByText("Connect a sales channel to see its orders here.")).toBeInTheDocument();
    expect(screen.getByTestId("connect-shopify")).toBeInTheDocument();
  });

  it("keeps listing a disconnected channel's orders when no channel is connected", async () => {
    backend.channelsList.mockResolvedValue([]);
    backend.ordersPage.mockResolvedValue({ rows: orderRows(3, 10), next: null, total: 3 });
    renderApp("/orders");

    expect(await screen.findByTestId("orders-total")).toHaveTextContent("3 orders");
    expect(screen.queryByText("No orders yet")).not.toBeInTheDocument();
  });

  it("says so when the filter matches nothing", async () => {
    backend.ordersPage.mockResolvedValue({ rows: [], next: null, total: 0 });
    const app = renderApp("/orders");
    await screen.findByTestId("orders-total");
    await app.user.type(screen.getByTestId("orders-search"), "nobody");
    expect(await screen.findByText("No orders match")).toBeInTheDocument();
  });

  it("shows the backend's message and retries on request", async () => {
    backend.ordersPage.mockRejectedValueOnce({ code: "database", message: "The order database is locked by another program." });
    backend.ordersPage.mockResolvedValue({ rows: orderRows(2), next: null, total: 2 });
    const app = renderApp("/orders");

    expect(await screen.findByText("The order database is locked by another program.")).toBeInTheDocument();
    await app.user.click(screen.getByRole("button", { name: "Retry" }));
    expect(await screen.findAllByTestId("order-row")).toHaveLength(2);
  });

  it("re-reads the list when a sync reports progress", async () => {
    backend.ordersPage.mockResolvedValue({ rows: orderRows(2), next: null, total: 2 });
    renderApp("/orders");
    await screen.findAllByTestId("order-row");
    const before = backend.ordersPage.mock.calls.length;

    backend.ordersPage.mockResolvedValue({ rows: orderRows(3), next: null, total: 3 });
    act(() => backend.emitSyncProgress({ channelId: 1, pages: 1, orders: 1, done: false, expectedPages: null, etaMs: null, error: null }));

    expect(await screen.findByText("3 orders")).toBeInTheDocument();
    expect(backend.ordersPage.mock.calls.length).toBe(before + 1);
  });
});
