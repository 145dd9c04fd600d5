// One browser sign-in: start it, wait for the `connect-outcome` carrying its attempt id, and
// settle on the channel or the error. Shared by the Shopify, WooCommerce and Lightspeed connect
// steps and re-authorize.

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
  /**
   * Starts afresh from any step, for flows with nothing to type first (re-authorize, Lightspeed):
   * a reason it could not start is shown as the failed step, with its "Try again".
   */
  run: (begin: () => Promise<ConnectStarted>) => Promise<void>;
  /** Back to the beginning, e.g. for "Try again". */
  reset: () => void;
};

export type ConnectAttemptOptions = {
  /**
   * Where the merchant signs in, for the fallback failure sentence ("Shopify", "WordPress",
   * "Lightspeed X-Series").
   */
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

  async function run(begin: () => Promise<ConnectStarted>): Promise<void> {
    setStep({ kind: "idle" });
    const failure = await start(begin);
    if (failure) setStep({ kind: "failed", message: failure });
  }

  return {
    step,
    starting,
    start,
    run,
    reset: () => setStep({ kind: "idle" }),
  };
}
