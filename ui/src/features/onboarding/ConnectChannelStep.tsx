// Onboarding step 2: the same platform picker and steps as the connect wizard, inline in the
// page. Once a channel is connected, Save & Continue takes over from Skip.

import { Button, Divider, Group, Stack, Text } from "@mantine/core";
import { useState } from "react";
import type { ChannelView } from "../../bindings/ChannelView";
import { ConnectFlow } from "../channels/connect/ConnectFlow";
import type { ConnectPlatform } from "../channels/connect/platforms";

export function ConnectChannelStep({
  connected,
  onConnected,
  onSkip,
  onSave,
}: {
  /** Channels connected during onboarding so far. */
  connected: ChannelView[];
  onConnected: (channel: ChannelView) => void;
  onSkip: () => void;
  onSave: () => void;
}) {
  const [platform, setPlatform] = useState<ConnectPlatform | null>(null);
  return (
    <Stack>
      <ConnectFlow platform={platform} onPlatformChange={setPlatform} onConnected={onConnected} />
      <Divider />
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          {connected.length === 0
            ? "You can connect channels later under Channels."
            : `Connected: ${connected.map((channel) => channel.name).join(", ")}.`}
        </Text>
        {connected.length === 0 ? (
          <Button variant="default" data-testid="onboarding-skip" onClick={onSkip}>
            Skip for now
          </Button>
        ) : (
          <Button data-testid="onboarding-save" onClick={onSave}>
            Save &amp; Continue
          </Button>
        )}
      </Group>
    </Stack>
  );
}
