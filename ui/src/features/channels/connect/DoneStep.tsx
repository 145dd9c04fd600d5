// The last step of every connect path: the channel is saved and its history is importing.

import { Button, Group, Stack, Text } from "@mantine/core";
import type { ChannelView } from "../../../bindings/ChannelView";
import { ImportProgress } from "../ImportProgress";

export function DoneStep({
  channel,
  onSave,
  onConnectAnother,
}: {
  channel: ChannelView;
  /** "Save & Continue"; left out where the surrounding screen has its own (onboarding). */
  onSave?: () => void;
  onConnectAnother?: () => void;
}) {
  return (
    <Stack data-testid="connect-done" data-channel-id={channel.id}>
      <Text>
        Connected <strong>{channel.name}</strong>. Importing your order history…
      </Text>
      <ImportProgress channelId={channel.id} />
      <Text size="sm" c="dimmed">
        The import carries on in the background; you can start working with your orders now.
      </Text>
      {(onSave || onConnectAnother) && (
        <Group justify="flex-end">
          {onConnectAnother && (
            <Button variant="default" onClick={onConnectAnother} data-testid="connect-another">
              Connect another channel
            </Button>
          )}
          {onSave && (
            <Button data-testid="connect-save" onClick={onSave} data-autofocus>
              Save &amp; Continue
            </Button>
          )}
        </Group>
      )}
    </Stack>
  );
}
