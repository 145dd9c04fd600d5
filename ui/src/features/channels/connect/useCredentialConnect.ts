// Connecting with credentials the merchant pastes (or the demo store's): one command that checks
// them against the platform and answers with the saved channel or a sentence saying why not.

import { useState } from "react";
import type { ChannelView } from "../../../bindings/ChannelView";
import { errorMessage } from "../../../lib/errors";
import { useChannelCache } from "../useChannelCache";

export type CredentialConnect<Action extends string> = {
  /** Which action is running, so only its button spins; null when idle. */
  pending: Action | null;
  /** The backend's refusal of the last try, in its own words. */
  error: string | null;
  run: (action: Action, command: () => Promise<ChannelView>) => Promise<void>;
  clearError: () => void;
};

export function useCredentialConnect<Action extends string>(
  onConnected: (channel: ChannelView) => void,
): CredentialConnect<Action> {
  const { upsert } = useChannelCache();
  const [pending, setPending] = useState<Action | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function run(action: Action, command: () => Promise<ChannelView>) {
    setPending(action);
    setError(null);
    try {
      const channel = await command();
      // No `connect-outcome` follows a credential connect, so the list learns of it here.
      upsert(channel);
      onConnected(channel);
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setPending(null);
    }
  }

  return { pending, error, run, clearError: () => setError(null) };
}
