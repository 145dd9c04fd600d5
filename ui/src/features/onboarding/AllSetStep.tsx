import { Button, Group, List, Stack, Text, Title } from "@mantine/core";
import type { ChannelView } from "../../bindings/ChannelView";
import { ImportProgress } from "../channels/ImportProgress";

/** Onboarding step 3: what happens next, with the imports still running. */
export function AllSetStep({ connected, onFinish }: { connected: ChannelView[]; onFinish: () => void }) {
  return (
    <Stack data-testid="onboarding-done">
      <Title order={3}>You're set</Title>
      <Text>
        Counterline is importing your order history in the background. You can keep working
        meanwhile; the progress also shows in the corner of the window.
      </Text>
      {connected.map((channel) => (
        <Stack key={channel.id} gap={4}>
          <Text size="sm" fw={500}>
            {channel.name}
          </Text>
          <ImportProgress channelId={channel.id} />
        </Stack>
      ))}
      <List size="sm" spacing={4}>
        <List.Item>Orders from every channel appear in one list under Orders, newest first.</List.Item>
        <List.Item>
          New orders come in when you press Sync now on a channel, or by themselves once you turn
          on auto-sync in the channel's settings.
        </List.Item>
        <List.Item>Each channel's status, settings and troubleshooting are under Channels.</List.Item>
      </List>
      <Group justify="flex-end">
        <Button data-testid="onboarding-finish" onClick={onFinish} autoFocus>
          Go to orders
        </Button>
      </Group>
    </Stack>
  );
}
