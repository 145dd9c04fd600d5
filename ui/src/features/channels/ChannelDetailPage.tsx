// One channel's page (Settings › Sales Channels › a channel): its state and actions, its
// settings, and troubleshooting.

import { Alert, Anchor, Button, EmptyState, Group, Paper, Skeleton, Stack, Text, Title } from "@mantine/core";
import { IconAlertTriangle, IconArrowLeft, IconPlugConnectedX } from "@tabler/icons-react";
import { Link, useNavigate, useParams } from "react-router";
import type { ChannelView } from "../../bindings/ChannelView";
import { errorMessage } from "../../lib/errors";
import { ChannelMenu } from "./ChannelMenu";
import { ChannelSettingsForm } from "./ChannelSettingsForm";
import { ChannelStatusBadge, PlatformBadge } from "./ChannelStatusBadge";
import { channelProblem } from "./channelStatus";
import { ChannelTroubleshooting } from "./ChannelTroubleshooting";
import { ReauthorizeInline } from "./ReauthorizeInline";
import { SyncNowButton } from "./SyncNowButton";
import { SyncToggle } from "./SyncToggle";
import { useChannels } from "./useChannels";

export function ChannelDetailPage() {
  const { id } = useParams();
  const channels = useChannels();
  const channel = channels.data?.find((known) => String(known.id) === id);

  let body;
  if (channels.isPending) {
    body = (
      <Stack gap="xs" aria-label="Loading the channel">
        <Skeleton height={36} width="40%" />
        <Skeleton height={220} />
      </Stack>
    );
  } else if (channels.isError) {
    body = (
      <Alert color="red" title="Couldn't load this channel" icon={<IconAlertTriangle />}>
        <Stack gap="xs" align="flex-start">
          <Text size="sm">{errorMessage(channels.error)}</Text>
          <Button size="xs" variant="white" color="red" onClick={() => void channels.refetch()}>
            Retry
          </Button>
        </Stack>
      </Alert>
    );
  } else if (!channel) {
    body = (
      <EmptyState
        mt="xl"
        variant="light"
        icon={<IconPlugConnectedX size={28} />}
        title="This channel isn't connected"
        description="It may have been disconnected. Orders it brought in are still in your orders list."
      >
        <EmptyState.Actions>
          <Button component={Link} to="/channels" variant="default">
            See your channels
          </Button>
        </EmptyState.Actions>
      </EmptyState>
    );
  } else {
    body = <ChannelDetail channel={channel} />;
  }

  return (
    <Stack data-testid="channel-detail">
      <Anchor component={Link} to="/channels" size="sm">
        <Group gap={4}>
          <IconArrowLeft size={14} />
          Sales channels
        </Group>
      </Anchor>
      {body}
    </Stack>
  );
}

function ChannelDetail({ channel }: { channel: ChannelView }) {
  const navigate = useNavigate();
  const problem = channelProblem(channel);

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-start">
        <Stack gap={4}>
          <Group gap="sm">
            <Title order={2}>{channel.name}</Title>
            <PlatformBadge platform={channel.platform} />
            <ChannelStatusBadge status={channel.status} />
          </Group>
          <Text size="sm" c="dimmed">
            {channel.account}
          </Text>
        </Stack>
        <Group gap="sm" wrap="nowrap">
          <SyncToggle channel={channel} />
          <SyncNowButton channel={channel} />
          <ChannelMenu
            channel={channel}
            showOpen={false}
            onDisconnected={() => navigate("/channels")}
          />
        </Group>
      </Group>

      {channel.status === "error" && (
        <Alert color="red" icon={<IconAlertTriangle />} title="This channel isn't syncing">
          <Stack gap="xs" align="flex-start">
            <Text size="sm">{problem}</Text>
            <ReauthorizeInline channel={channel} />
          </Stack>
        </Alert>
      )}
      {channel.status === "paused" && (
        <Alert color="gray" title="Paused">
          Nothing syncs until you turn Sync back on. The connection and its orders stay.
        </Alert>
      )}

      <Paper withBorder p="lg" component="section" aria-labelledby="channel-settings-title">
        <Title order={3} id="channel-settings-title" mb="md">
          Settings
        </Title>
        <ChannelSettingsForm key={channel.id} channel={channel} />
      </Paper>

      <Paper withBorder p="lg" component="section" aria-labelledby="channel-troubleshooting-title">
        <Title order={3} id="channel-troubleshooting-title" mb="md">
          Troubleshooting
        </Title>
        <ChannelTroubleshooting channel={channel} />
      </Paper>
    </Stack>
  );
}
