import type { Platform } from "../../../bindings/Platform";
import { useAppInfo } from "../../shell/useAppInfo";
import { cardState, platformCards, type CardState, type PlatformCard } from "./platforms";

export type ShownCard = PlatformCard & { state: CardState };

const none: readonly Platform[] = [];

/**
 * Every platform card with what it offers on this installation. Until app info has loaded no
 * Lightspeed line is connectable, so nothing can be picked that the backend would refuse.
 */
export function usePlatformCards(): ShownCard[] {
  const connectable = useAppInfo().data?.connectablePlatforms ?? none;
  return platformCards.map((card) => ({ ...card, state: cardState(card, connectable) }));
}
