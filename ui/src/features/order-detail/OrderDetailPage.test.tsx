import { screen, waitFor, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import * as backend from "../../lib/__mocks__/backend";
import { orderDetailFixture } from "../../test/fixtures";
import { renderApp } from "../../test/renderApp";

vi.mock("../../lib/backend");

const locations = [
  { id: 1, name: "Main warehouse", kind: "warehouse" as const },
  { id: 2, name: "High Street store", kind: "store" as const },
];

describe("OrderDetailPage", () => {
  beforeEach(() => {
    backend.resetFakeBackend();
    backend.locationsList.mockResolvedValue(locations);
    backend.stockLevels.mockImplementation(async (locationId, skus) =>
      skus.map((sku) => ({ locationId, sku, onHand: locationId === 1 ? 10 : sku === "MUG-BLUE" ? 1 : 5 })),
    );
  });

  it("shows who ordered what, where it goes, and every change with who made it", async () => {
    backend.orderDetail.mockResolvedValue(
      orderDetailFixture({
        history: [
          { id: 2, at: Date.UTC(2025, 0, 16), actor: "merchant", summary: "Status changed to Processing" },
          { id: 1, at: Date.UTC(2025, 0, 15), actor: "channel", summary: "Imported from Shopify" },
        ],
      }),
    );
    renderApp("/orders/1042");

    expect(await screen.findByRole("heading", { name: "Order #1042" })).toBeInTheDocument();
    expect(backend.orderDetail).toHaveBeenCalledWith(1042);
    expect(screen.getByTestId("order-address")).toHaveTextContent("12 Harbour Road");
    expect(screen.getByTestId("order-note")).toHaveTextContent("Please leave at the door.");
    const [mug] = screen.getAllByTestId("order-line");
    expect(mug).toHaveTextContent("MUG-BLUE");
    expect(mug).toHaveTextContent("0 of 2");
    expect(mug).toHaveTextContent("$15.00");
    expect(screen.getByTestId("order-total")).toHaveTextContent("$54.00");
    const events = screen.getAllByTestId("order-event");
    expect(events[0]).toHaveTextContent("You");
    expect(events[0]).toHaveTextContent("Status changed to Processing");
    expect(events[1]).toHaveTextContent("The store");
    expect(screen.getByTestId("sync-state")).toHaveTextContent("Synced");
  });

  it("leads with what was shipped here while the channel still reports the order unfulfilled", async () => {
    const detail = orderDetailFixture();
    const shipped = detail.lines.map((line) => ({ ...line, shippedQuantity: line.quantity }));
    backend.orderDetail.mockResolvedValue({ ...detail, order: { ...detail.order, fulfillmentStatus: "UNFULFILLED" }, lines: shipped });
    renderApp("/orders/1042");
    expect(await screen.findByTestId("order-shipped-here")).toHaveTextContent("Fulfillment: 3 of 3 items shipped");
    expect(screen.getByText(/last reported: Unfulfilled/)).toBeInTheDocument();
  });

  it("offers only the moves the workflow allows", async () => {
    backend.orderDetail.mockResolvedValue(orderDetailFixture({ nextStatuses: ["delivered", "returned"] }));
    renderApp("/orders/1042");
    const actions = await screen.findByTestId("order-actions");
    expect(within(actions).getAllByRole("button").map((b) => b.textContent)).toEqual(["Mark as delivered", "Mark as returned"]);
  });

  it("says why nothing can be changed instead of offering writes", async () => {
    backend.orderDetail.mockResolvedValue(
      orderDetailFixture({ writeBlock: "Harbour Goods only sends orders to Counterline. Turn on two-way sync in its settings to change orders here." }),
    );
    renderApp("/orders/1042");
    expect(await screen.findByTestId("order-write-block")).toHaveTextContent("Turn on two-way sync");
    expect(screen.queryByTestId("order-actions")).toBeNull();
  });

  it("points a conflict to the Sync log", async () => {
    backend.orderDetail.mockResolvedValue(orderDetailFixture({ order: { ...orderDetailFixture().order, syncState: "conflict" } }));
    renderApp("/orders/1042");
    const note = await screen.findByTestId("order-sync-note");
    expect(note).toHaveTextContent("Conflict");
    expect(within(note).getByRole("link", { name: "Resolve in Sync log" })).toHaveAttribute("href", "/sync-log");
  });

  it("ships part of the order with tracking, from the chosen location", async () => {
    const detail = orderDetailFixture();
    backend.orderDetail.mockResolvedValue(detail);
    backend.orderShip.mockResolvedValue({ ...detail, order: { ...detail.order, syncState: "waiting" } });
    const app = renderApp("/orders/1042");
    await app.user.click(await screen.findByTestId("order-to-shipped"));

    // Everything left is preselected; the merchant ships one mug and no tea now.
    const quantities = await screen.findAllByTestId("ship-quantity");
    expect(quantities[0]).toHaveValue("2");
    await app.user.clear(quantities[0]!);
    await app.user.type(quantities[0]!, "1");
    await app.user.clear(quantities[1]!);
    await app.user.type(quantities[1]!, "0");
    await app.user.type(screen.getByTestId("ship-carrier"), "UPS");
    await app.user.type(screen.getByTestId("ship-tracking"), "1Z999");
    expect(screen.getByText("Partial shipment: the rest stays to ship later.")).toBeInTheDocument();
    await app.user.click(screen.getByTestId("ship-submit"));

    await waitFor(() =>
      expect(backend.orderShip).toHaveBeenCalledWith({
        orderId: 1042,
        locationId: 1,
        lines: [{ lineId: 11, quantity: 1 }],
        carrier: "UPS",
        trackingNumber: "1Z999",
        trackingUrl: null,
      }),
    );
    expect(await screen.findByText("Shipment saved")).toBeInTheDocument();
  });

  it("warns when the chosen location is short and keeps the form when the backend refuses", async () => {
    backend.orderDetail.mockResolvedValue(orderDetailFixture());
    backend.orderShip.mockRejectedValue({
      code: "invalid_input",
      message: "Only 1 of MUG-BLUE are in stock at High Street store; you asked to ship 2.",
    });
    const app = renderApp("/orders/1042");
    await app.user.click(await screen.findByTestId("order-to-shipped"));
    await screen.findAllByTestId("ship-quantity");

    await app.user.click(screen.getByTestId("ship-location"));
    await app.user.click(await screen.findByRole("option", { name: "High Street store" }));
    const [mugLine] = screen.getAllByTestId("ship-line");
    expect(await within(mugLine!).findByText(/only 1 here, you're shipping 2/)).toBeInTheDocument();

    // Required fields are asked for before anything is sent.
    await app.user.click(screen.getByTestId("ship-submit"));
    expect(screen.getByTestId("ship-error")).toHaveTextContent("Enter the carrier and the tracking number.");
    expect(backend.orderShip).not.toHaveBeenCalled();

    await app.user.type(screen.getByTestId("ship-carrier"), "DHL");
    await app.user.type(screen.getByTestId("ship-tracking"), "JD0001");
    await app.user.click(screen.getByTestId("ship-submit"));
    expect(await screen.findByTestId("ship-error")).toHaveTextContent("Only 1 of MUG-BLUE are in stock at High Street store");
    expect(screen.getByTestId("ship-carrier")).toHaveValue("DHL");
    expect(screen.getByTestId("ship-tracking")).toHaveValue("JD0001");
  });

  it("cancels only after the merchant confirms", async () => {
    backend.orderDetail.mockResolvedValue(orderDetailFixture());
    const app = renderApp("/orders/1042");
    await app.user.click(await screen.findByTestId("order-to-cancelled"));
    expect(backend.orderSetStatus).not.toHaveBeenCalled();
    await app.user.click(await screen.findByTestId("confirm-cancel-order"));
    await waitFor(() => expect(backend.orderSetStatus).toHaveBeenCalledWith(1042, "cancelled"));
  });

  it("says plainly when the order can't be read", async () => {
    backend.orderDetail.mockRejectedValue({ code: "not_found", message: "This order is no longer in Counterline." });
    renderApp("/orders/77");
    expect(await screen.findByText("This order is no longer in Counterline.")).toBeInTheDocument();
  });
});
