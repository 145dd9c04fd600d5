// Re-authorizing a channel that signs in through the browser (Shopify, WooCommerce, Lightspeed):
// the connect wizard's Authorize step for the channel's own store. The store is already known,
// so the Store step is done.

import { Stepper, Text } from "@mantine/core";
import { useEffect, useRef } from "react";
import type { ChannelView } from "../../bindings/ChannelView";
import type { ConnectStarted } from "../../bindings/ConnectStarted";
import { channelReauthorize } from "../../lib/backend";
import { isLightspeed, platformName } from "./connect/platforms";
import { AuthorizeStep, FailedStep, ReauthorizedStep } from "./ConnectSteps";
import { useConnectAttempt } from "./useConnectAttempt";

export function BrowserReauthorization({
  channel,
  started,
  onClose,
}: {
  channel: ChannelView;
  started?: ConnectStarted;
  onClose: () => void;
}) {
  const platform = platformName(channel.platform);
  const attempt = useConnectAttempt(started, { platformName: platform });
  const { step } = attempt;
  const begin = () => void attempt.run(() => channelReauthorize(channel.id));

  // Opening the wizard is the merchant's request to sign in again. The ref keeps React's
  // development double-run of effects from opening the browser twice.
  const requested = useRef(started !== undefined);
  useEffect(() => {
    if (requested.current) return;
    requested.current = true;
    begin();
  }, []); // once per wizard: a new opening mounts a new wizard

  const finished = step.kind === "done" || step.kind === "failed";

  return (
    <Stepper active={finished ? 2 : 1} size="sm" allowNextStepsSelect={false}>
      <Stepper.Step label="Store" description={channel.account} />
      <Stepper.Step label="Authorize" description="In your browser">
        <Text size="sm" c="dimmed" mt="md">
          {isLightspeed(channel.platform)
            ? `Sign in to Lightspeed, choose ${channel.account} again and approve Counterline.`
            : `Approve Counterline for ${channel.account} again.`}{" "}
          The channel keeps its orders and settings.
        </Text>
        <AuthorizeStep
          site={channel.platform === "woocommerce" ? "your WordPress site" : platform}
          authorizeUrl={step.kind === "authorize" ? step.authorizeUrl : null}
          onCancel={onClose}
        />
      </Stepper.Step>
      <Stepper.Step label="Done" description="Back in sync" color={step.kind === "failed" ? "red" : undefined}>
        {step.kind === "done" && <ReauthorizedStep channel={step.channel} onClose={onClose} />}
        {step.kind === "failed" && (
          <FailedStep
            title={`${platform} wasn't re-authorized`}
            message={step.message}
            onRetry={begin}
            onCancel={onClose}
          />
        )}
      </Stepper.Step>
    </Stepper>
  );
}
