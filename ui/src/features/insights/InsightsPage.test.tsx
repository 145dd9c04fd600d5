import { screen, waitFor } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import * as backend from "../../lib/__mocks__/backend";
import { emptyInsights } from "../../test/loyaltyFixtures";
import { renderApp } from "../../test/renderApp";
import { rangeBounds } from "./insightsRange";

vi.mock("../../lib/backend");

const DAY = 24 * 3600_000;

describe("InsightsPage", () => {
  beforeEach(() => backend.resetFakeBackend());

  it("says in words when nobody ordered in the period, and shows each definition", async () => {
    renderApp("/insights");
    expect(await screen.findByTestId("insights-repeat-rate")).toHaveTextContent("No member has ordered in this period yet.");
    expect(screen.getByTestId("insights-spend")).toHaveTextContent("No member has ordered in this period yet.");
    expect(screen.getByTestId("insights-repeat-rate-definition")).toHaveAttribute("data-definition", "Repeat purchase rate definition.");
    expect(screen.getByTestId("insights-tiers-definition")).toHaveAttribute("data-definition", "Members by tier definition.");
    const query = backend.loyaltyInsights.mock.lastCall![0];
    expect(query.to - query.from).toBe(90 * DAY);
    expect(query.bucket).toBeNull();
  });

  it("headlines the period's repeat purchase rate and lifetime value", async () => {
    backend.loyaltyInsights.mockImplementation(async ({ from, to }) => ({
      ...emptyInsights(from, to),
      repeatPurchaseRate: [
        { start: from, end: from + DAY, rate: 0, repeaters: 0, buyers: 2 },
        { start: from + DAY, end: to, rate: 0.25, repeaters: 1, buyers: 4 },
      ],
      lifetimeValue: [{ start: from, end: to, amountMinor: 12_345, members: 4 }],
    }));
    renderApp("/insights");
    expect(await screen.findByTestId("insights-repeat-rate-value")).toHaveTextContent("25%");
    expect(screen.getByTestId("insights-ltv-value")).toHaveTextContent("$123.45");
  });

  it("asks again for a new period, and shows a failure in words with Try again", async () => {
    const app = renderApp("/insights");
    await screen.findByTestId("insights-repeat-rate");
    backend.loyaltyInsights.mockRejectedValue({ code: "database", message: "The database is busy. Try again in a moment." });
    await app.user.click(screen.getByText("Last 12 months"));
    expect(await screen.findByTestId("insights-error")).toHaveTextContent("The database is busy. Try again in a moment.");
    const query = backend.loyaltyInsights.mock.lastCall![0];
    expect(query).toMatchObject(rangeBounds("12m"));
  });

  it("recomputes segments on demand", async () => {
    const app = renderApp("/insights");
    await app.user.click(await screen.findByTestId("insights-recompute"));
    await waitFor(() => expect(backend.rfmRecompute).toHaveBeenCalledTimes(1));
  });
});
