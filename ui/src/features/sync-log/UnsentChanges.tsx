// Changes the merchant made that a channel hasn't confirmed yet: waiting to be sent, held as a
// conflict because the order changed on the platform, or refused. Conflicts and refusals ask the
// merchant which version wins.

import { Badge, Button, Group, Stack, Table, Text, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { OutboxEntry } from "../../bindings/OutboxEntry";
import type { OutboxState } from "../../bindings/OutboxState";
import { outboxEntries, outboxResolve } from "../../lib/backend";
import { errorMessage } from "../../lib/errors";
import { syncLogKey } from "../../lib/queryKeys";
import { humanizeStatus } from "../../lib/text";
import { MomentText } from "../channels/MomentText";

const stateLook: Record<OutboxState, { label: string; color: string }> = {
  pending: { label: "Waiting to send", color: "blue" },
  conflict: { label: "Changed on the store", color: "orange" },
  failed: { label: "Refused", color: "red" },
  done: { label: "Sent", color: "green" },
  discarded: { label: "Store's version kept", color: "gray" },
};

export function useUnsentChanges(channelId: number | null) {
  return useQuery({
    queryKey: [...syncLogKey, "outbox", channelId] as const,
    queryFn: () => outboxEntries(channelId),
    staleTime: 0,
    // Waiting changes go out every few seconds; keep the list current while it is open.
    refetchInterval: 5_000,
  });
}

function EntryRow({ entry, channelName }: { entry: OutboxEntry; channelName: string }) {
  const queryClient = useQueryClient();
  const resolve = useMutation({
    mutationFn: (sendAnyway: boolean) => outboxResolve(entry.id, sendAnyway),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: syncLogKey }),
    onError: (error) =>
      notifications.show({ color: "red", title: `Couldn't settle order ${entry.orderNumber}`, message: errorMessage(error) }),
  });
  const look = stateLook[entry.state];
  const needsAnswer = entry.state === "conflict" || entry.state === "failed";
  return (
    <Table.Tr data-testid="outbox-row" data-state={entry.state}>
      <Table.Td>
        <Text size="sm" fw={500}>
          Order {entry.orderNumber}
        </Text>
        <Text size="xs" c="dimmed">
          {channelName}
        </Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm">
          {entry.tracking ? `Shipped with ${entry.tracking}` : `Status → ${humanizeStatus(entry.status)}`}
        </Text>
      </Table.Td>
      <Table.Td>
        <Badge color={look.color} variant="light">
          {look.label}
        </Badge>
        {entry.lastError && (
          <Text size="xs" c={needsAnswer ? "red" : "dimmed"} mt={4}>
            {entry.lastError}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <MomentText at={entry.createdAt} />
      </Table.Td>
      <Table.Td ta="right">
        {needsAnswer && (
          <Group gap="xs" justify="flex-end" wrap="nowrap">
            <Button size="xs" data-testid="outbox-send-anyway" loading={resolve.isPending && resolve.variables} onClick={() => resolve.mutate(true)}>
              Send mine anyway
            </Button>
            <Button
              size="xs"
              variant="default"
              data-testid="outbox-keep-theirs"
              loading={resolve.isPending && !resolve.variables}
              onClick={() => resolve.mutate(false)}
            >
              Keep the store's
            </Button>
          </Group>
        )}
      </Table.Td>
    </Table.Tr>
  );
}

/** Nothing when every change is confirmed. */
export function UnsentChanges({ entries, channelNames }: { entries: OutboxEntry[]; channelNames: Map<number, string> }) {
  if (entries.length === 0) return null;
  const waiting = entries.filter((e) => e.state === "pending").length;
  return (
    <Stack gap="xs" data-testid="outbox">
      <Group gap="xs">
        <Title order={4}>Changes not yet on your channels</Title>
        <Badge variant="light">{entries.length}</Badge>
      </Group>
      <Text size="sm" c="dimmed">
        {waiting > 0
          ? "Counterline keeps trying until each channel confirms, also after a restart or while offline. "
          : ""}
        Where the order changed on the store after your edit, choose which version to keep.
      </Text>
      <Table verticalSpacing="xs">
        <Table.Tbody>
          {entries.map((entry) => (
            <EntryRow key={entry.id} entry={entry} channelName={channelNames.get(entry.channelId) ?? "Channel"} />
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}
