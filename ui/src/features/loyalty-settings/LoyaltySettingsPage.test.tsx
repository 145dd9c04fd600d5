import { screen, waitFor, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import * as backend from "../../lib/__mocks__/backend";
import { defaultLoyaltySettings } from "../../test/loyaltyFixtures";
import { renderApp } from "../../test/renderApp";
import { draftProblems, parseRatePpm, rateText } from "./draft";

vi.mock("../../lib/backend");

describe("LoyaltySettingsPage", () => {
  beforeEach(() => backend.resetFakeBackend());

  it("shows the default rules with an example of what an order earns", async () => {
    renderApp("/settings/loyalty");
    const tiers = await screen.findAllByTestId("tier-row");
    expect(tiers.map((row) => within(row).getByLabelText("Tier name")).map((input) => (input as HTMLInputElement).value)).toEqual([
      "Silver",
      "Gold",
      "Platinum",
    ]);
    expect(within(tiers[1]!).getByLabelText("Threshold")).toHaveValue("1,000.00");
    expect(screen.getByText("For example, an order of $105.00 earns $10.00. A refund takes back its share.")).toBeInTheDocument();
    expect(screen.getByLabelText("Items only")).toBeChecked();
    expect(screen.getByDisplayValue("Purchase card")).toBeInTheDocument();
    // Nothing changed yet: nothing to save.
    expect(screen.getByTestId("loyalty-save")).toBeDisabled();
  });

  it("lists every problem in words and saves nothing until they are fixed", async () => {
    const app = renderApp("/settings/loyalty");
    await screen.findAllByTestId("tier-row");
    await app.user.click(screen.getByTestId("tier-add"));
    const rows = screen.getAllByTestId("tier-row");
    const added = rows[3]!;
    const threshold = within(added).getByLabelText("Threshold");
    await app.user.clear(threshold);
    await app.user.type(threshold, "100");
    await app.user.click(screen.getByTestId("loyalty-save"));

    const problems = await screen.findByTestId("loyalty-problems");
    expect(problems).toHaveTextContent("Tier names must be unique and not empty.");
    expect(problems).toHaveTextContent("Tier thresholds must go up");
    expect(backend.loyaltySettingsSave).not.toHaveBeenCalled();

    await app.user.type(within(added).getByLabelText("Tier name"), "Diamond");
    await app.user.clear(threshold);
    await app.user.type(threshold, "5000");
    await app.user.click(screen.getByTestId("loyalty-save"));
    expect(threshold).toHaveValue("5,000.00");
    expect(screen.queryByTestId("loyalty-problems")?.textContent ?? "").toBe("");
    await waitFor(() => expect(backend.loyaltySettingsSave).toHaveBeenCalledTimes(1));
    const sent = backend.loyaltySettingsSave.mock.lastCall![0];
    expect(sent.tiers.tiers.at(-1)).toEqual({ name: "Diamond", thresholdMinor: 500_000 });
    // A page of inputs typed into key by key: slow under jsdom on a busy machine.
  }, 20_000);

  it("shows the backend's refusal and keeps the draft", async () => {
    backend.loyaltySettingsSave.mockRejectedValue({ code: "invalid_input", message: "A punch card needs at least 2 stamps." });
    const app = renderApp("/settings/loyalty");
    await app.user.click(await screen.findByLabelText("Everything the customer paid"));
    await app.user.click(screen.getByTestId("loyalty-save"));
    expect(await screen.findByTestId("loyalty-save-error")).toHaveTextContent("A punch card needs at least 2 stamps.");
    expect(screen.getByLabelText("Everything the customer paid")).toBeChecked();
    expect(backend.loyaltySettingsSave.mock.lastCall![0].spendBase).toBe("total");
  });

  it("offers the mapped categories to a punch card", async () => {
    backend.loyaltyCategories.mockResolvedValue(["Coffee", "Pastry"]);
    backend.skuCategoriesList.mockResolvedValue([{ sku: "ESP-1", category: "Coffee" }]);
    renderApp("/settings/loyalty");
    expect(await screen.findByText("ESP-1")).toBeInTheDocument();
    expect(screen.getByText("Empty means every order counts.")).toBeInTheDocument();
  });
});

describe("loyalty settings draft checks", () => {
  it("reads exchange rates as decimals to the millionth", () => {
    expect(parseRatePpm("1.08")).toBe(1_080_000);
    expect(parseRatePpm("0.0067")).toBe(6_700);
    expect(parseRatePpm("1.2.3")).toBeNull();
    expect(parseRatePpm("")).toBeNull();
    expect(rateText(1_080_000)).toBe("1.08");
    expect(rateText(2_000_000)).toBe("2");
  });

  it("finds nothing wrong with the defaults, and names each broken rule", () => {
    expect(draftProblems(defaultLoyaltySettings())).toEqual([]);
    const broken = defaultLoyaltySettings();
    broken.currency = "dollars";
    broken.rates = [{ currency: "EUR", ratePpm: Number.NaN }];
    broken.earning.spendStepMinor = 0;
    broken.punchCards[0]!.stampsRequired = 1;
    expect(draftProblems(broken)).toEqual([
      "Enter a currency code like USD.",
      "The rate for EUR must be more than zero.",
      "The spend step must be more than zero.",
      "A punch card needs at least 2 stamps (Purchase card).",
    ]);
  });
});
