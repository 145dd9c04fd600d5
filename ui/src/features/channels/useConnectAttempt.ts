// One browser sign-in: start it, wait for the `connect-outcome` carrying its attempt id, and
// settle on the channel or the error. Shared by the Shopify and WooCommerce connect steps and
// re-authorize.

import { useRef, useState } from "react";
import type { ChannelView } from "../../bindings/ChannelView";
import type { ConnectOutcome } from "../../bindings/ConnectOutcome";
import type { ConnectStarted } from "../../bindings/ConnectStarted";
import { onConnectOutcome } from "../../lib/backend";
import { errorMessage } from "../../lib/errors";
import { useBackendEvent } from "../../lib/useBackendEvent";

export type AttemptStep =
  | { kind: "idle" }
  | { kind: "authorize"; attemptId: string; authorizeUrl: string }
  | { kind: "done"; channel: ChannelView }
  | { kind: "failed"; message: string };

export type ConnectAttempt = {
  step: AttemptStep;
  starting: boolean;
  /**
   * Runs `begin` (a command that opens the browser) and moves to the Authorize step. Resolves to
   * the reason it could not start, or null; the caller decides where to show that reason.
   */
  start: (begin: () => Promise<ConnectStarted>) => Promise<string | null>;
  /** Back to the beginning, e.g. for "Try again". */
  reset: () => void;
  /** Shows a failure that happened outside the browser sign-in. */
  fail: (message: string) => void;
};

export type ConnectAttemptOptions = {
  /** Where the merchant signs in, for the fallback failure sentence ("Shopify", "WordPress"). */
  platformName?: string;
  /** Called once when the sign-in comes back with a channel. */
  onConnected?: (channel: ChannelView) => void;
};

/** `started` puts the attempt straight at the Authorize step for a sign-in already begun. */
export function useConnectAttempt(
  started?: ConnectStarted,
  { platformName = "Shopify", onConnected }: ConnectAttemptOptions = {},
): ConnectAttempt {
  const [step, setStep] = useState<AttemptStep>(
    started ? { kind: "authorize", ...started } : { kind: "idle" },
  );
  const [starting, setStarting] = useState(false);
  // The browser can come back before the start command has answered (an instant approval, or a
  // test playing the browser), so outcomes seen while starting are kept and checked after. A ref,
  // not state: the event may arrive before React has re-rendered with `starting` set.
  const startingRef = useRef(false);
  const earlyOutcomes = useRef<ConnectOutcome[]>([]);

  function settle(outcome: ConnectOutcome) {
    if (outcome.channel) {
      setStep({ kind: "done", channel: outcome.channel });
      onConnected?.(outcome.channel);
    } else {
      setStep({
        kind: "failed",
        message: outcome.error?.message ?? `${platformName} did not finish the sign-in. Please try again.`,
      });
    }
  }

  useBackendEvent(onConnectOutcome, (outcome) => {
    // A link no attempt started is reported app-wide (see useConnectOutcomes), not here.
    if (outcome.attemptId === null) return;
    if (step.kind === "authorize" && outcome.attemptId === step.attemptId) settle(outcome);
    else if (startingRef.current) earlyOutcomes.current.push(outcome);
  });

  async function start(begin: () => Promise<ConnectStarted>): Promise<string | null> {
    earlyOutcomes.current = [];
    startingRef.current = true;
    setStarting(true);
    try {
      const started = await begin();
      const early = earlyOutcomes.current.find((o) => o.attemptId === started.attemptId);
      if (early) settle(early);
      else setStep({ kind: "authorize", ...started });
      return null;
    } catch (error) {
      return errorMessage(error);
    } finally {
      startingRef.current = false;
      earlyOutcomes.current = [];
      setStarting(false);
    }
  }

  return {
    step,
    starting,
    start,
    reset: () => setStep({ kind: "idle" }),
    fail: (message) => setStep({ kind: "failed", message }),
  };
}
