import { screen, waitFor } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import * as backend from "../../lib/__mocks__/backend";
import { channelFixture } from "../../test/fixtures";
import { renderApp } from "../../test/renderApp";

vi.mock("../../lib/backend");

describe("UnmatchedOrdersPage", () => {
  beforeEach(() => backend.resetFakeBackend());

  it("lists guests and unknown emails of the channel it was opened for, and offers to make a member", async () => {
    backend.channelsList.mockResolvedValue([channelFixture({ id: 3 })]);
    backend.unmatchedSummary.mockResolvedValue({ noEmail: 4, noMember: 1 });
    backend.unmatchedOrders.mockResolvedValue({
      rows: [
        { orderId: 5, channelId: 3, channelName: "Harbour Goods", platform: "shopify", number: "#1005", createdAt: Date.UTC(2025, 0, 2), email: "new@example.com", customerName: "Nia", totalMinor: 4200, currency: "USD", reason: "noMember" },
        { orderId: 6, channelId: 3, channelName: "Harbour Goods", platform: "shopify", number: "#1006", createdAt: Date.UTC(2025, 0, 1), email: null, customerName: null, totalMinor: 990, currency: "USD", reason: "noEmail" },
      ],
      next: null,
    });
    const app = renderApp("/members/unmatched?channel=3");
    const rows = await screen.findAllByTestId("unmatched-order");
    expect(rows[1]).toHaveTextContent("Guest");
    expect(rows[1]).toHaveTextContent("No email");
    expect(screen.getByTestId("unmatched-summary")).toHaveTextContent("4 without an email · 1 with an email no member has");
    expect(backend.unmatchedOrders).toHaveBeenCalledWith({ channelId: 3, reason: null, after: null, limit: 100 });
    expect(backend.unmatchedSummary).toHaveBeenCalledWith(3);

    await app.user.click(screen.getByRole("button", { name: "Make a member" }));
    expect(await screen.findByTestId("member-email")).toHaveValue("new@example.com");
    expect(screen.getByTestId("member-name")).toHaveValue("Nia");
  });

  it("says so when every order is matched", async () => {
    renderApp("/members/unmatched");
    expect(await screen.findByTestId("unmatched-empty")).toHaveTextContent("Every order is matched");
    await waitFor(() => expect(backend.unmatchedSummary).toHaveBeenCalledWith(null));
  });
});
