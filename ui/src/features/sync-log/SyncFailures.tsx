// Items a sync could not bring in, each with a Retry that syncs its channel again.

import { Button, Group, Loader, Table, Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconCheck, IconRefresh } from "@tabler/icons-react";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import type { SyncFailure } from "../../bindings/SyncFailure";
import type { SyncProgress } from "../../bindings/SyncProgress";
import { syncFailureRetry } from "../../lib/backend";
import { errorMessage } from "../../lib/errors";
import { humanizeStatus } from "../../lib/text";
import { MomentText } from "../channels/MomentText";
import { isSyncRunning, useSyncProgress } from "../channels/syncProgress";

/**
 * "Order 1042" for an order; the platform's id is what the merchant finds it by. A failure with no
 * item (kind "sync") is the whole run that stopped.
 */
function itemLabel(failure: SyncFailure): string {
  if (!failure.externalId) return "The sync";
  return `${humanizeStatus(failure.kind) ?? "Item"} ${failure.externalId}`;
}

type RetryState = "idle" | "starting" | "syncing" | "synced" | "failed";

/**
 * Where a retry stands. A retry syncs the whole channel, so after it starts the row follows that
 * channel's `sync-progress` events; `before` is the event already known when Retry was pressed, so
 * an earlier sync's "done" does not read as this one's.
 */
function retryState(started: boolean, pending: boolean, before: SyncProgress | undefined, now: SyncProgress | undefined): RetryState {
  if (pending) return "starting";
  if (!started) return "idle";
  if (now === before || isSyncRunning(now)) return "syncing";
  return now?.error ? "failed" : "synced";
}

function FailureRow({ failure }: { failure: SyncFailure }) {
  const progress = useSyncProgress(failure.channelId);
  const [before, setBefore] = useState<{ progress: SyncProgress | undefined } | null>(null);
  const retry = useMutation({
    mutationFn: () => syncFailureRetry(failure.id),
    onMutate: () => setBefore({ progress }),
    onError: (error) => {
      setBefore(null);
      notifications.show({ color: "red", title: `Couldn't retry ${itemLabel(failure)}`, message: errorMessage(error) });
    },
  });
  const state = retryState(before !== null, retry.isPending, before?.progress, progress);

  return (
    <Table.Tr data-testid="sync-failure-row" data-failure-id={failure.id} data-retry={state}>
      <Table.Td>
        <Text size="sm" fw={500}>
          {failure.channelName}
        </Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm">{itemLabel(failure)}</Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm">{failure.message}</Text>
        {state === "failed" && progress?.error && (
          <Text size="xs" c="red" mt={4}>
            The retry stopped: {progress.error.message}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <MomentText at={failure.createdAt} />
      </Table.Td>
      <Table.Td ta="right">
        {state === "syncing" ? (
          <Group gap={6} justify="flex-end" wrap="nowrap" data-testid="sync-failure-retrying">
            <Loader size="xs" />
            <Text size="sm" c="dimmed">
              Syncing again…
            </Text>
          </Group>
        ) : state === "synced" ? (
          <Group gap={6} justify="flex-end" wrap="nowrap" data-testid="sync-failure-retried">
            <IconCheck size={16} color="var(--mantine-color-green-6)" />
            <Text size="sm" c="green">
              Synced again
            </Text>
          </Group>
        ) : (
          <Button
            size="xs"
            variant="light"
            leftSection={<IconRefresh size={14} />}
            loading={state === "starting"}
            onClick={() => retry.mutate()}
            data-testid="sync-failure-retry"
          >
            Retry
          </Button>
        )}
      </Table.Td>
    </Table.Tr>
  );
}

export function SyncFailuresTable({ failures }: { failures: SyncFailure[] }) {
  return (
    <Table.ScrollContainer minWidth={760}>
      <Table verticalSpacing="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Channel</Table.Th>
            <Table.Th>Item</Table.Th>
            <Table.Th>What went wrong</Table.Th>
            <Table.Th>When</Table.Th>
            <Table.Th ta="right">Retry</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {failures.map((failure) => (
            <FailureRow key={failure.id} failure={failure} />
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
