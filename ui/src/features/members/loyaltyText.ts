// How loyalty values read to the merchant: segment names, colours and meanings, and the query keys
// the members pages share (a sync or a settings change refreshes them all at once).

import type { Segment } from "../../bindings/Segment";
import type { BadgeLook } from "../channels/channelStatus";

/** Everything derived from members and loyalty rules: lists, profiles, insights. */
export const loyaltyKey = ["loyalty"] as const;
export const membersKey = [...loyaltyKey, "members"] as const;
export const loyaltySettingsKey = [...loyaltyKey, "settings"] as const;

export function memberKey(id: number) {
  return [...loyaltyKey, "member", id] as const;
}

const segmentLooks: Record<Segment, BadgeLook & { meaning: string }> = {
  champions: {
    label: "Champions",
    color: "grape",
    meaning: "Ordered recently and often.",
  },
  loyal: {
    label: "Loyal",
    color: "indigo",
    meaning: "Orders regularly, or has ordered a few times lately.",
  },
  recent: {
    label: "Recent",
    color: "teal",
    meaning: "First order was recent; not a regular yet.",
  },
  needsAttention: {
    label: "Needs Attention",
    color: "yellow",
    meaning: "Used to order now and then; has not for a while.",
  },
  atRisk: {
    label: "At Risk",
    color: "orange",
    meaning: "Ordered often before, but not lately.",
  },
  inactive: {
    label: "Inactive",
    color: "gray",
    meaning: "Few orders, and none for a long time.",
  },
};

export const segments: Segment[] = ["champions", "loyal", "recent", "needsAttention", "atRisk", "inactive"];

export function segmentLook(segment: Segment): BadgeLook & { meaning: string } {
  return segmentLooks[segment] ?? { label: segment, color: "gray", meaning: "" };
}

/** Turns "12.50" (as typed) into minor units, or null when it isn't an amount. */
export function parseAmount(text: string, fractionDigits: number): number | null {
  const cleaned = text.trim().replace(/[,\s]/g, "");
  const match = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(cleaned);
  if (!match || (match[2] === "" && (match[3] ?? "") === "")) return null;
  const fraction = match[3] ?? "";
  if (fraction.length > fractionDigits) return null;
  const minor = Number(match[2] || "0") * 10 ** fractionDigits + Number(fraction.padEnd(fractionDigits, "0") || "0");
  return match[1] === "-" ? -minor : minor;
}

/** Minor units as a plain decimal for an input field ("1000.00"), no currency sign. */
export function amountText(minor: number, fractionDigits: number): string {
  const sign = minor < 0 ? "-" : "";
  const abs = Math.abs(minor);
  if (fractionDigits === 0) return `${sign}${abs}`;
  const scale = 10 ** fractionDigits;
  return `${sign}${Math.floor(abs / scale)}.${String(abs % scale).padStart(fractionDigits, "0")}`;
}
