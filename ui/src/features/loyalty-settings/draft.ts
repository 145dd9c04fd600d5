// Checks on the settings draft before it is sent, in the same plain words the backend uses, so
// the merchant sees every problem at once instead of one per save.

import type { LoyaltySettings } from "../../bindings/LoyaltySettings";

export const CURRENCY_CODE = /^[A-Z]{3}$/;

export function draftProblems(draft: LoyaltySettings): string[] {
  const problems: string[] = [];
  if (!CURRENCY_CODE.test(draft.currency.trim().toUpperCase())) problems.push("Enter a currency code like USD.");
  for (const rate of draft.rates) {
    if (!CURRENCY_CODE.test(rate.currency.trim().toUpperCase())) problems.push("Enter each rate's currency as a code like EUR.");
    else if (!(rate.ratePpm > 0)) problems.push(`The rate for ${rate.currency} must be more than zero.`);
  }
  if (!(draft.earning.spendStepMinor > 0)) problems.push("The spend step must be more than zero.");
  if (draft.earning.creditPerStepMinor < 0) problems.push("The credit per step can't be negative.");
  const names = draft.tiers.tiers.map((tier) => tier.name.trim().toLowerCase());
  if (names.some((name) => name === "") || new Set(names).size !== names.length) problems.push("Tier names must be unique and not empty.");
  let last = 0;
  for (const tier of draft.tiers.tiers) {
    if (!(tier.thresholdMinor > last)) {
      problems.push(`Tier thresholds must go up: ${tier.name.trim() || "a tier"} needs more than the tier before it.`);
      break;
    }
    last = tier.thresholdMinor;
  }
  for (const card of draft.punchCards) {
    if (!card.name.trim() || !card.reward.trim()) problems.push("Give the punch card a name and a reward.");
    if (!(card.stampsRequired >= 2)) problems.push(`A punch card needs at least 2 stamps${card.name.trim() ? ` (${card.name.trim()})` : ""}.`);
  }
  return [...new Set(problems)];
}

/** "1.08" → 1_080_000 parts per million; null when it isn't a positive decimal. */
export function parseRatePpm(text: string): number | null {
  const match = /^\s*(\d*)(?:\.(\d{0,6}))?\s*$/.exec(text);
  if (!match || (match[1] === "" && !match[2])) return null;
  return Number(match[1] || "0") * 1_000_000 + Number((match[2] ?? "").padEnd(6, "0"));
}

export function rateText(ppm: number): string {
  const whole = Math.floor(ppm / 1_000_000);
  const fraction = String(ppm % 1_000_000).padStart(6, "0").replace(/0+$/, "");
  return fraction ? `${whole}.${fraction}` : String(whole);
}
