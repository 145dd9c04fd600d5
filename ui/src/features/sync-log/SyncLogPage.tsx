// The sync log: every sync run, newest first, filterable by channel, outcome and period, and the
// items syncs could not bring in, each with Retry.

import {
  Alert,
  Badge,
  Button,
  EmptyState,
  Group,
  SegmentedControl,
  Select,
  Skeleton,
  Stack,
  Text,
  Title,
} from "@mantine/core";
import { IconAlertTriangle, IconFilterOff, IconHistory, IconPlugConnected } from "@tabler/icons-react";
import { useMemo, useState } from "react";
import type { RunOutcome } from "../../bindings/RunOutcome";
import { errorMessage } from "../../lib/errors";
import { ConnectPlatformButtons } from "../channels/ConnectPlatformButtons";
import { useChannels } from "../channels/useChannels";
import { SyncFailuresTable } from "./SyncFailures";
import { DEFAULT_PERIOD, outcomeOptions, periods, type Period } from "./syncLog";
import { SyncRunsTable } from "./SyncRunsTable";
import { UnsentChanges, useUnsentChanges } from "./UnsentChanges";
import { useOpenFailures, useRefreshSyncLogOnSync, useSyncRuns, type SyncLogFilter } from "./useSyncLog";
import { ShowOlderButton } from "../shell/ShowOlderButton";

const ALL = "all";

function LoadError({ title, error, retry }: { title: string; error: unknown; retry: () => void }) {
  return (
    <Alert color="red" title={title} icon={<IconAlertTriangle />}>
      <Stack gap="xs" align="flex-start">
        <Text size="sm">{errorMessage(error)}</Text>
        <Button size="xs" variant="white" color="red" onClick={retry}>
          Try again
        </Button>
      </Stack>
    </Alert>
  );
}

export function SyncLogPage() {
  const channels = useChannels();
  const [channelId, setChannelId] = useState<number | null>(null);
  const [outcome, setOutcome] = useState<RunOutcome | null>(null);
  const [period, setPeriod] = useState<Period>(DEFAULT_PERIOD);
  const filter = useMemo<SyncLogFilter>(() => ({ channelId, outcome, period }), [channelId, outcome, period]);
  const runs = useSyncRuns(filter);
  const failures = useOpenFailures(channelId);
  const unsent = useUnsentChanges(channelId);
  useRefreshSyncLogOnSync();

  const rows = useMemo(() => runs.data?.pages.flat() ?? [], [runs.data]);
  const filtered = channelId !== null || outcome !== null || period !== DEFAULT_PERIOD;
  const clearFilters = () => {
    setChannelId(null);
    setOutcome(null);
    setPeriod(DEFAULT_PERIOD);
  };

  let body;
  if (runs.isPending) {
    body = (
      <Stack gap={6} aria-label="Loading the sync log" data-testid="sync-log-loading">
        {Array.from({ length: 6 }, (_, index) => (
          <Skeleton key={index} height={44} />
        ))}
      </Stack>
    );
  } else if (runs.isError && rows.length === 0) {
    body = <LoadError title="Couldn't load the sync log" error={runs.error} retry={() => void runs.refetch()} />;
  } else if (rows.length === 0 && filtered) {
    body = (
      <EmptyState
        mt="xl"
        icon={<IconFilterOff size={28} />}
        title="No syncs match"
        description="No sync in this period matches the channel and outcome you picked."
        data-testid="sync-log-empty"
      >
        <EmptyState.Actions>
          <Button variant="default" onClick={clearFilters}>
            Clear filters
          </Button>
        </EmptyState.Actions>
      </EmptyState>
    );
  } else if (rows.length === 0 && channels.data?.length === 0) {
    body = (
      <EmptyState
        mt="xl"
        variant="light"
        icon={<IconPlugConnected size={28} />}
        title="No syncs yet"
        description="No syncs yet. Connect a sales channel and its orders sync here."
        data-testid="sync-log-empty"
      >
        <EmptyState.Actions>
          <ConnectPlatformButtons />
        </EmptyState.Actions>
      </EmptyState>
    );
  } else if (rows.length === 0) {
    body = (
      <EmptyState
        mt="xl"
        variant="light"
        icon={<IconHistory size={28} />}
        title="No syncs yet"
        description="No syncs yet. Press Sync now on a channel, or wait for its auto-sync, and each run is listed here."
        data-testid="sync-log-empty"
      />
    );
  } else {
    body = (
      <Stack gap="sm">
        <SyncRunsTable runs={rows} />
        <ShowOlderButton pages={runs} label="Show older syncs" />
      </Stack>
    );
  }

  const openFailures = failures.data ?? [];

  return (
    <Stack gap="md" data-testid="sync-log-page">
      <Stack gap={4}>
        <Title order={2}>Sync log</Title>
        <Text size="sm" c="dimmed">
          Every sync of your sales channels from the last 30 days, and anything that could not be
          synced.
        </Text>
      </Stack>

      <Group gap="sm" wrap="wrap">
        <Select
          aria-label="Channel"
          data-testid="sync-filter-channel"
          data={[
            { value: ALL, label: "All channels" },
            ...(channels.data ?? []).map((channel) => ({ value: String(channel.id), label: channel.name })),
          ]}
          value={channelId === null ? ALL : String(channelId)}
          onChange={(value) => setChannelId(value === null || value === ALL ? null : Number(value))}
          allowDeselect={false}
          w={220}
        />
        <SegmentedControl
          aria-label="Outcome"
          data-testid="sync-filter-outcome"
          data={outcomeOptions}
          value={outcome ?? ALL}
          onChange={(value) => setOutcome(value === ALL ? null : (value as RunOutcome))}
        />
        <SegmentedControl
          aria-label="Period"
          data-testid="sync-filter-period"
          data={periods.map(({ value, label }) => ({ value, label }))}
          value={period}
          onChange={(value) => setPeriod(value as Period)}
        />
      </Group>

      <UnsentChanges
        entries={unsent.data ?? []}
        channelNames={new Map((channels.data ?? []).map((channel) => [channel.id, channel.name]))}
      />

      {failures.isError ? (
        <LoadError
          title="Couldn't load the failed items"
          error={failures.error}
          retry={() => void failures.refetch()}
        />
      ) : (
        openFailures.length > 0 && (
          <Stack gap="xs" data-testid="sync-failures">
            <Group gap="xs">
              <Title order={4}>Failed items</Title>
              <Badge color="red" variant="light">
                {openFailures.length}
              </Badge>
            </Group>
            <Text size="sm" c="dimmed">
              These could not be synced. Fix the cause on the platform if the message names one, then
              Retry: the channel syncs again from just before the item.
            </Text>
            <SyncFailuresTable failures={openFailures} />
          </Stack>
        )
      )}

      <Stack gap="xs">
        {openFailures.length > 0 && <Title order={4}>Syncs</Title>}
        {runs.isError && rows.length > 0 && (
          <Alert color="red" icon={<IconAlertTriangle />}>
            {errorMessage(runs.error)}
          </Alert>
        )}
        {body}
      </Stack>
    </Stack>
  );
}
