// Re-authorizing a BigCommerce channel: BigCommerce has no browser sign-in, so the merchant makes
// a new API account in the same store and pastes its token. Connecting the same store hash again
// updates the existing channel, so its orders and settings stay.

import { Stack, Stepper, Text } from "@mantine/core";
import { useState } from "react";
import type { ChannelView } from "../../bindings/ChannelView";
import { bigcommerceConnect } from "../../lib/backend";
import { BigCommerceForm } from "./connect/BigCommerceForm";
import { BigCommerceGuide } from "./connect/BigCommerceGuide";
import { useCredentialConnect } from "./connect/useCredentialConnect";
import { ReauthorizedStep } from "./ConnectSteps";

export function BigCommerceReauthorization({ channel, onClose }: { channel: ChannelView; onClose: () => void }) {
  const [renewed, setRenewed] = useState<ChannelView | null>(null);
  const connect = useCredentialConnect<"form">(setRenewed);

  return (
    <Stepper active={renewed ? 2 : 1} size="sm" allowNextStepsSelect={false}>
      <Stepper.Step label="Store" description={channel.account} />
      <Stepper.Step label="Access token" description="Paste a new one">
        <Stack mt="md" data-testid="bc-reauthorize">
          <Text size="sm" c="dimmed">
            BigCommerce has no sign-in page for apps like Counterline, so it needs a new access
            token for {channel.account}. The channel keeps its orders and settings.
          </Text>
          <BigCommerceGuide tokenOnly />
          <BigCommerceForm
            fixedStoreHash={channel.account}
            connecting={connect.pending === "form"}
            disabled={false}
            error={connect.error}
            onConnect={({ storeHash, accessToken }) =>
              void connect.run("form", () => bigcommerceConnect(storeHash, accessToken))
            }
            onCancel={onClose}
          />
        </Stack>
      </Stepper.Step>
      <Stepper.Step label="Done" description="Back in sync">
        {renewed && <ReauthorizedStep channel={renewed} onClose={onClose} />}
      </Stepper.Step>
    </Stepper>
  );
}
