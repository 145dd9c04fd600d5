// The places a merchant can sell, as the connect wizard's first step lists them. Only platforms
// Counterline can actually connect are pickable; the rest say honestly that they are coming.

import type { Platform } from "../../../bindings/Platform";

/** A platform the wizard has steps for. */
export type ConnectPlatform = Platform;

export type PlatformCard =
  | { kind: "available"; id: ConnectPlatform; name: string; summary: string }
  | { kind: "coming-soon"; id: string; name: string; summary: string };

export const platformCards: readonly PlatformCard[] = [
  {
    kind: "available",
    id: "shopify",
    name: "Shopify",
    summary: "Online store. You approve Counterline in your browser.",
  },
  {
    kind: "available",
    id: "bigcommerce",
    name: "BigCommerce",
    summary: "Online store. You create an API account and paste its details here.",
  },
  {
    kind: "available",
    id: "woocommerce",
    name: "WooCommerce",
    summary: "WordPress store. Sign in with WordPress, or paste REST API keys.",
  },
  {
    kind: "coming-soon",
    id: "lightspeed-x",
    name: "Lightspeed X-Series",
    summary: "Retail point of sale (formerly Vend).",
  },
  {
    kind: "coming-soon",
    id: "lightspeed-r",
    name: "Lightspeed R-Series",
    summary: "Retail point of sale.",
  },
  {
    kind: "coming-soon",
    id: "lightspeed-k",
    name: "Lightspeed K-Series",
    summary: "Restaurant point of sale.",
  },
  {
    kind: "coming-soon",
    id: "lightspeed-o",
    name: "Lightspeed O-Series",
    summary: "Restaurant point of sale.",
  },
];

export function platformName(platform: ConnectPlatform): string {
  const card = platformCards.find((candidate) => candidate.id === platform);
  return card?.name ?? platform;
}
