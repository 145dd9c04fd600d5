import { describe, expect, it } from "vitest";
import { settingsFixture } from "../../test/fixtures";
import {
  autoSyncOptions,
  draftFromSettings,
  orderPrefixError,
  settingsFromDraft,
  validateDraft,
} from "./channelSettings";

describe("orderPrefixError", () => {
  it("accepts up to 12 letters, digits, dashes and underscores, or no prefix at all", () => {
    for (const prefix of ["", "SHOP-", "web_2", "ABCDEFGHIJKL"]) {
      expect(orderPrefixError(prefix), prefix).toBeNull();
    }
  });

  it("rejects spaces, symbols, accented letters and anything longer than 12", () => {
    for (const prefix of ["SHOP #", "A B", "Café-", "ABCDEFGHIJKLM", "#"]) {
      expect(orderPrefixError(prefix), prefix).not.toBeNull();
    }
  });
});

describe("settings draft", () => {
  it("round-trips the backend's settings through the form unchanged", () => {
    const settings = settingsFixture({ syncDirection: "push", autoSyncMinutes: 360, priceList: "Retail", orderPrefix: "WEB-" });
    expect(settingsFromDraft(draftFromSettings(settings))).toEqual(settings);
  });

  it("sends empty optional fields as null and trims what was typed", () => {
    const draft = { ...draftFromSettings(settingsFixture()), priceList: "   ", warehouse: " Back room ", orderPrefix: " SHOP- " };
    expect(settingsFromDraft(draft)).toMatchObject({ priceList: null, warehouse: "Back room", orderPrefix: "SHOP-" });
  });

  it("flags names longer than the backend stores", () => {
    const draft = { ...draftFromSettings(settingsFixture()), warehouse: "x".repeat(101) };
    expect(validateDraft(draft)).toEqual({ warehouse: "The warehouse name can have 100 characters at most." });
  });
});

describe("autoSyncOptions", () => {
  it("offers Off, 5/15/30/60 minutes, 6 hours and daily", () => {
    expect(autoSyncOptions(null).map((option) => option.label)).toEqual([
      "Off",
      "Every 5 minutes",
      "Every 15 minutes",
      "Every 30 minutes",
      "Every hour",
      "Every 6 hours",
      "Daily",
    ]);
  });

  it("keeps an interval that is not one of the choices visible", () => {
    expect(autoSyncOptions(120).at(-1)).toEqual({ value: "120", label: "Every 120 minutes" });
  });
});
