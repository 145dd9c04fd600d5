import { useConnectOutcomes } from "../channels/useConnectOutcomes";
import { useSyncToasts } from "../channels/useSyncToasts";

/** Listens for backend events that matter on every screen; renders nothing itself. */
export function BackgroundActivity() {
  useSyncToasts();
  useConnectOutcomes();
  return null;
}
