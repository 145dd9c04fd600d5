import { Anchor, Group, Stack, Table, Text, VisuallyHidden } from "@mantine/core";
import { Link } from "react-router";
import type { ChannelView } from "../../bindings/ChannelView";
import { formatCount } from "../../lib/text";
import { ChannelMenu, channelPath } from "./ChannelMenu";
import { ChannelStatusBadge, PlatformBadge } from "./ChannelStatusBadge";
import { channelProblem } from "./channelStatus";
import { MomentText } from "./MomentText";
import { ReauthorizeInline } from "./ReauthorizeInline";
import { SyncNowButton } from "./SyncNowButton";
import { SyncToggle } from "./SyncToggle";

export function ChannelTable({ channels }: { channels: ChannelView[] }) {
  return (
    <Table.ScrollContainer minWidth={880}>
      <Table verticalSpacing="sm" highlightOnHover>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Channel</Table.Th>
            <Table.Th>Platform</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Last order</Table.Th>
            <Table.Th ta="right">Orders</Table.Th>
            <Table.Th>
              <VisuallyHidden>Actions</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {channels.map((channel) => (
            <ChannelRow key={channel.id} channel={channel} />
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function ChannelRow({ channel }: { channel: ChannelView }) {
  const problem = channelProblem(channel);
  return (
    <Table.Tr data-testid="channel-row" data-status={channel.status} data-channel-id={channel.id}>
      <Table.Td>
        <Anchor component={Link} to={channelPath(channel.id)} fw={500} c="inherit">
          {channel.name}
        </Anchor>
        <Text size="xs" c="dimmed">
          {channel.account}
        </Text>
      </Table.Td>
      <Table.Td>
        <PlatformBadge platform={channel.platform} />
      </Table.Td>
      <Table.Td>
        <Stack gap={4} align="flex-start">
          <ChannelStatusBadge status={channel.status} />
          {problem && (
            <Text size="xs" c={channel.status === "error" ? "red" : "dimmed"} maw={280}>
              {problem}
            </Text>
          )}
          {channel.status === "error" && <ReauthorizeInline channel={channel} />}
        </Stack>
      </Table.Td>
      <Table.Td>
        <MomentText at={channel.lastOrderAt} never="No orders yet" />
        {channel.lastSyncedAt !== null && (
          <Text size="xs" c="dimmed">
            Synced <MomentText at={channel.lastSyncedAt} inline />
          </Text>
        )}
      </Table.Td>
      <Table.Td ta="right">{formatCount(channel.orderCount)}</Table.Td>
      <Table.Td>
        <Group gap="sm" justify="flex-end" wrap="nowrap">
          <SyncToggle channel={channel} />
          <SyncNowButton channel={channel} />
          <ChannelMenu channel={channel} />
        </Group>
      </Table.Td>
    </Table.Tr>
  );
}
