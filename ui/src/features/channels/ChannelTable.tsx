import { Button, Stack, Table, Text, Tooltip } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconRefresh } from "@tabler/icons-react";
import { useMutation } from "@tanstack/react-query";
import type { ChannelView } from "../../bindings/ChannelView";
import { channelSync } from "../../lib/backend";
import { errorMessage } from "../../lib/errors";
import { formatCount } from "../../lib/text";
import { formatDateTime, formatRelativeTime } from "../../lib/time";
import { ChannelStatusBadge, PlatformBadge } from "./ChannelStatusBadge";
import { isSyncRunning, useSyncProgress } from "./syncProgress";

export function ChannelTable({ channels }: { channels: ChannelView[] }) {
  return (
    <Table.ScrollContainer minWidth={760}>
      <Table verticalSpacing="sm" highlightOnHover>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Channel</Table.Th>
            <Table.Th>Platform</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Last order</Table.Th>
            <Table.Th ta="right">Orders</Table.Th>
            <Table.Th />
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
  const progress = useSyncProgress(channel.id);
  const syncing = isSyncRunning(progress);
  const sync = useMutation({
    mutationFn: () => channelSync(channel.id),
    onError: (error) =>
      notifications.show({
        color: "red",
        title: `Couldn't sync ${channel.name}`,
        message: errorMessage(error),
      }),
  });

  return (
    <Table.Tr
      data-testid="channel-row"
      data-status={channel.status}
      data-channel-id={channel.id}
    >
      <Table.Td>
        <Text fw={500}>{channel.name}</Text>
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
          {channel.statusDetail && (
            <Text size="xs" c={channel.status === "error" ? "red" : "dimmed"} maw={280}>
              {channel.statusDetail}
            </Text>
          )}
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
      <Table.Td ta="right">
        <Button
          size="xs"
          variant="light"
          leftSection={<IconRefresh size={14} />}
          loading={sync.isPending || syncing}
          disabled={channel.status === "paused"}
          onClick={() => sync.mutate()}
        >
          Sync now
        </Button>
      </Table.Td>
    </Table.Tr>
  );
}

/** A relative time ("3 hours ago") with the exact local time on hover. */
function MomentText({ at, never, inline }: { at: number | null; never?: string; inline?: boolean }) {
  if (at === null) {
    return (
      <Text size="sm" c="dimmed" span={inline}>
        {never ?? "Never"}
      </Text>
    );
  }
  return (
    <Tooltip label={formatDateTime(at)} withArrow>
      <Text size={inline ? "xs" : "sm"} span={inline} inherit={inline}>
        {formatRelativeTime(at)}
      </Text>
    </Tooltip>
  );
}
