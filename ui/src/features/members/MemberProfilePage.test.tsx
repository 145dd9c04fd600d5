import { screen, waitFor, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import * as backend from "../../lib/__mocks__/backend";
import { memberFixture, memberOrderFixture, profileFixture } from "../../test/loyaltyFixtures";
import { renderApp } from "../../test/renderApp";
import { MEMBER_ORDERS_PAGE } from "./MemberOrders";

vi.mock("../../lib/backend");

describe("MemberProfilePage", () => {
  beforeEach(() => backend.resetFakeBackend());

  it("shows spend, tier with the reason it changed, credit, stamps and RFM scores", async () => {
    backend.memberGet.mockResolvedValue(profileFixture());
    renderApp("/members/1");
    expect(await screen.findByTestId("member-title")).toHaveTextContent("Ada Lovelace");
    expect(screen.getByTestId("member-spend")).toHaveTextContent("$512.00");
    expect(screen.getByTestId("member-credit")).toHaveTextContent("$50.00");
    expect(screen.getByTestId("member-tier")).toHaveTextContent("Silver");
    expect(screen.getByTestId("member-segment")).toHaveTextContent("Loyal");
    expect(screen.getByTestId("tier-change")).toHaveTextContent("No tier → Silver");
    expect(screen.getByTestId("tier-change")).toHaveTextContent("Order #1042 brought lifetime spend to 262.00 USD, past Silver's 250.00.");
    expect(screen.getByTestId("punch-card-stamps")).toHaveTextContent("3 of 10 stamps — 7 more for 10% off the next order.");
    expect(screen.getByTestId("rfm-recency")).toHaveTextContent("5/5");
    expect(screen.getByTestId("rfm-monetary")).toHaveTextContent("3/5");
    expect(screen.getAllByTestId("ledger-entry")).toHaveLength(2);
    // Lifetime tiers show how far the next one is: Gold at 1,000.00, spend 512.00.
    expect(await screen.findByText(/\$488\.00 more to reach Gold/)).toBeInTheDocument();
    // Nothing in another currency: no note about it.
    expect(screen.queryByTestId("member-other-currency")).not.toBeInTheDocument();
  });

  it("merges orders from every channel with their channel badges and pages on", async () => {
    backend.memberGet.mockResolvedValue(profileFixture());
    backend.memberOrders.mockImplementation(async (_id, after) =>
      after === null
        ? {
            rows: [
              memberOrderFixture(),
              memberOrderFixture({ orderId: 7, channelId: 2, channelName: "Market Stall", platform: "woocommerce", number: "W-77", stamped: false }),
            ],
            next: "cursor-2",
          }
        : { rows: [memberOrderFixture({ orderId: 3, number: "#1001", status: "cancelled", counted: false, spendMinor: 0, earnedMinor: 0, stamped: false })], next: null },
    );
    const app = renderApp("/members/1");
    const orders = await screen.findAllByTestId("member-order");
    expect(orders.map((row) => row.getAttribute("data-channel"))).toEqual(["Harbour Goods", "Market Stall"]);
    expect(screen.getByText("From 2 channels")).toBeInTheDocument();
    expect(within(orders[0]!).getByTestId("member-order-stamped")).toBeInTheDocument();
    expect(backend.memberOrders).toHaveBeenCalledWith(1, null, MEMBER_ORDERS_PAGE);

    await app.user.click(screen.getByRole("button", { name: "Show older orders" }));
    await waitFor(() => expect(screen.getAllByTestId("member-order")).toHaveLength(3));
    expect(backend.memberOrders).toHaveBeenLastCalledWith(1, "cursor-2", MEMBER_ORDERS_PAGE);
    expect(screen.getAllByTestId("member-order")[2]).toHaveTextContent("Not counted");
    expect(screen.queryByRole("button", { name: "Show older orders" })).not.toBeInTheDocument();
  });

  it("adjusts credit with a reason and shows the backend's refusal beside the field", async () => {
    backend.memberGet.mockResolvedValue(profileFixture());
    backend.memberAdjustCredit.mockRejectedValueOnce({ code: "invalid_input", message: "Say why you are adjusting the credit." });
    const app = renderApp("/members/1");
    await app.user.type(await screen.findByTestId("credit-amount"), "abc");
    await app.user.click(screen.getByTestId("credit-adjust"));
    expect(await screen.findByText("Enter an amount like 5.00, or -5.00 to take credit away.")).toBeInTheDocument();
    expect(backend.memberAdjustCredit).not.toHaveBeenCalled();

    await app.user.clear(screen.getByTestId("credit-amount"));
    await app.user.type(screen.getByTestId("credit-amount"), "-12.50");
    await app.user.click(screen.getByTestId("credit-adjust"));
    expect(await screen.findByText("Say why you are adjusting the credit.")).toBeInTheDocument();
    expect(backend.memberAdjustCredit).toHaveBeenLastCalledWith(1, -1250, "");
    expect(screen.getByTestId("credit-reason")).toHaveAttribute("aria-invalid", "true");

    backend.memberAdjustCredit.mockResolvedValue({ id: 3, at: Date.now(), kind: "manual", amountMinor: -1250, orderId: null, orderNumber: null, reason: "Typo", balanceMinor: 3750 });
    await app.user.type(screen.getByTestId("credit-reason"), "Typo");
    await app.user.click(screen.getByTestId("credit-adjust"));
    expect(await screen.findByText(/the balance is \$37\.50/)).toBeInTheDocument();
    expect(backend.memberAdjustCredit).toHaveBeenLastCalledWith(1, -1250, "Typo");
  });

  it("says which orders don't count because of their currency", async () => {
    backend.memberGet.mockResolvedValue(profileFixture({ ordersOtherCurrency: 2 }));
    renderApp("/members/1");
    expect(await screen.findByTestId("member-other-currency")).toHaveTextContent(
      "2 orders in a currency other than USD don't count towards spend, credit or stamps.",
    );
  });

  it("confirms a delete by saying the orders stay, then goes back to the list", async () => {
    backend.memberGet.mockResolvedValue(profileFixture());
    const app = renderApp("/members/1");
    await app.user.click(await screen.findByTestId("member-delete"));
    const dialog = await screen.findByRole("dialog");
    expect(dialog).toHaveTextContent("Their orders stay in Counterline");
    expect(backend.memberDelete).not.toHaveBeenCalled();
    await app.user.click(within(dialog).getByTestId("member-delete-confirm"));
    await waitFor(() => expect(app.router.state.location.pathname).toBe("/members"));
    expect(backend.memberDelete).toHaveBeenCalledWith(1);
  });

  it("says in words when the member is gone", async () => {
    renderApp("/members/99");
    expect(await screen.findByTestId("member-error")).toHaveTextContent("This member no longer exists.");
  });

  it("has no segment or credit to show before the first order", async () => {
    backend.memberGet.mockResolvedValue(
      profileFixture({ member: memberFixture({ orderCount: 0, spendMinor: 0, creditMinor: 0, tier: null, segment: null, firstOrderAt: null, lastOrderAt: null }), rfm: null, tierHistory: [], ledger: [] }),
    );
    renderApp("/members/1");
    expect(await screen.findByText(/No orders yet, so no segment/)).toBeInTheDocument();
    expect(screen.getByText("No tier changes yet.")).toBeInTheDocument();
    expect(screen.getByText(/No credit yet/)).toBeInTheDocument();
    expect(screen.getByTestId("member-last-order")).toHaveTextContent("—");
  });
});
