import { Badge, Loader, Table, Text, Tooltip } from "@mantine/core";
import type { SyncRun } from "../../bindings/SyncRun";
import { countOf, formatCount } from "../../lib/text";
import { MomentText } from "../channels/MomentText";
import { runDuration, triggerLabel } from "./syncLog";

export function RunOutcomeBadge({ run }: { run: SyncRun }) {
  if (run.outcome === "running") {
    return (
      <Badge variant="light" color="blue" leftSection={<Loader size={10} color="blue" />}>
        Running
      </Badge>
    );
  }
  if (run.outcome === "ok") {
    return (
      <Badge variant="light" color="green">
        OK
      </Badge>
    );
  }
  return (
    <Badge variant="light" color="red">
      Failed
    </Badge>
  );
}

function RunRow({ run }: { run: SyncRun }) {
  return (
    <Table.Tr data-testid="sync-run-row" data-outcome={run.outcome} data-run-id={run.id}>
      <Table.Td>
        <Text size="sm" fw={500}>
          {run.channelName}
        </Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm">{triggerLabel(run.trigger)}</Text>
      </Table.Td>
      <Table.Td>
        <MomentText at={run.startedAt} />
      </Table.Td>
      <Table.Td>
        <Text size="sm">{runDuration(run)}</Text>
      </Table.Td>
      <Table.Td ta="right">{formatCount(run.pages)}</Table.Td>
      <Table.Td ta="right">
        <Tooltip label={`${countOf(run.ordersUnchanged, "order")} already up to date`} withArrow>
          <Text size="sm" span>
            {formatCount(run.ordersNew)} / {formatCount(run.ordersUpdated)}
          </Text>
        </Tooltip>
      </Table.Td>
      <Table.Td ta="right">{formatCount(run.requests)}</Table.Td>
      <Table.Td ta="right">
        <Text size="sm" span c={run.throttled > 0 ? "orange" : undefined}>
          {formatCount(run.throttled)}
        </Text>
      </Table.Td>
      <Table.Td>
        <RunOutcomeBadge run={run} />
        {run.error && (
          <Text size="xs" c="red" mt={4} data-testid="sync-run-error">
            {run.error}
          </Text>
        )}
        {run.failures > 0 && (
          <Text size="xs" c="dimmed" mt={4}>
            {countOf(run.failures, "item")} could not be synced
          </Text>
        )}
      </Table.Td>
    </Table.Tr>
  );
}

export function SyncRunsTable({ runs }: { runs: SyncRun[] }) {
  return (
    <Table.ScrollContainer minWidth={960}>
      <Table verticalSpacing="sm" highlightOnHover>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Channel</Table.Th>
            <Table.Th>Started by</Table.Th>
            <Table.Th>Started</Table.Th>
            <Table.Th>Duration</Table.Th>
            <Table.Th ta="right">Pages</Table.Th>
            <Table.Th ta="right">New / updated orders</Table.Th>
            <Table.Th ta="right">Requests</Table.Th>
            <Table.Th ta="right">
              <Tooltip label="Times the platform asked Counterline to slow down (HTTP 429)" withArrow>
                <span>429s</span>
              </Tooltip>
            </Table.Th>
            <Table.Th>Outcome</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {runs.map((run) => (
            <RunRow key={run.id} run={run} />
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
