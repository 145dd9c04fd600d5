// The places a merchant can sell, as the connect wizard's first step lists them. The online stores
// can always be picked; a Lightspeed line only when this installation can connect it (app info's
// `connectablePlatforms`), and otherwise its card says honestly why not.

import type { Platform } from "../../../bindings/Platform";
import type { LightspeedPlatform } from "../../../lib/backend";

/** A platform the wizard has steps for. */
export type ConnectPlatform = Platform;

export type { LightspeedPlatform };

export const lightspeedPlatforms: readonly LightspeedPlatform[] = ["xseries", "rseries", "kseries", "oseries"];

export function isLightspeed(platform: Platform): platform is LightspeedPlatform {
  return (lightspeedPlatforms as readonly Platform[]).includes(platform);
}

/** What a card offers: its steps, or the reason they are closed. */
export type CardState = "available" | "needs-registration";

export type PlatformCard = {
  id: ConnectPlatform;
  name: string;
  summary: string;
  /** How the card shows while the backend doesn't list the platform as connectable. */
  unlisted: CardState;
};

export const platformCards: readonly PlatformCard[] = [
  {
    id: "shopify",
    name: "Shopify",
    summary: "Online store. You approve Counterline in your browser.",
    unlisted: "available",
  },
  {
    id: "bigcommerce",
    name: "BigCommerce",
    summary: "Online store. You create an API account and paste its details here.",
    unlisted: "available",
  },
  {
    id: "woocommerce",
    name: "WooCommerce",
    summary: "WordPress store. Sign in with WordPress, or paste REST API keys.",
    unlisted: "available",
  },
  {
    id: "xseries",
    name: "Lightspeed X-Series",
    summary: "Retail point of sale (formerly Vend).",
    unlisted: "needs-registration",
  },
  {
    id: "rseries",
    name: "Lightspeed R-Series",
    summary: "Retail point of sale.",
    unlisted: "needs-registration",
  },
  {
    id: "kseries",
    name: "Lightspeed K-Series",
    summary: "Restaurant point of sale.",
    unlisted: "needs-registration",
  },
  {
    id: "oseries",
    name: "Lightspeed O-Series",
    summary: "Restaurant point of sale.",
    unlisted: "needs-registration",
  },
];

/** Whether the card can be picked now. `connectable` is empty while app info is still loading. */
export function cardState(card: PlatformCard, connectable: readonly Platform[]): CardState {
  return connectable.includes(card.id) ? "available" : card.unlisted;
}

export function platformName(platform: ConnectPlatform): string {
  const card = platformCards.find((candidate) => candidate.id === platform);
  return card?.name ?? platform;
}
