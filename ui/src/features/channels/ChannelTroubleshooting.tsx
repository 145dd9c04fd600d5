// "Is this channel all right?": a live credential check plus the facts a merchant (or support)
// needs to answer it — the last error, when the newest order came in, the last sync, and orders
// that can never be matched to a member.

import { Alert, Anchor, Button, DataList, Group, Loader, Stack, Text } from "@mantine/core";
import { IconAlertTriangle, IconCircleCheck, IconPlugConnected } from "@tabler/icons-react";
import { useQuery } from "@tanstack/react-query";
import { Link } from "react-router";
import type { ChannelView } from "../../bindings/ChannelView";
import { channelCheck } from "../../lib/backend";
import { errorMessage } from "../../lib/errors";
import { channelHealthKey } from "../../lib/queryKeys";
import { countOf } from "../../lib/text";
import { formatRelativeTime } from "../../lib/time";
import { ChannelStatusBadge } from "./ChannelStatusBadge";
import { channelProblem } from "./channelStatus";
import { MomentWithDate } from "./MomentText";

/** A check calls the platform, so an answer is reused for a while instead of on every visit. */
const CHECK_FRESH_MS = 5 * 60_000;

export function ChannelTroubleshooting({ channel }: { channel: ChannelView }) {
  const check = useQuery({
    queryKey: channelHealthKey(channel.id),
    queryFn: () => channelCheck(channel.id),
    staleTime: CHECK_FRESH_MS,
  });
  const health = check.data;
  const problem = channelProblem(channel);

  let lastError: string;
  let unmatched: string;
  if (health) {
    lastError =
      health.lastError === null
        ? "None"
        : health.lastErrorAt === null
          ? health.lastError
          : `${health.lastError} (${new Date(health.lastErrorAt).toLocaleString()})`;
    unmatched =
      health.ordersUnmatched === 0
        ? "None"
        : `${countOf(health.ordersUnmatched, "order")} can't be matched to a member` +
          (health.ordersWithoutEmail > 0 ? ` (${countOf(health.ordersWithoutEmail, "order")} without an email)` : "");
  } else {
    const unknown = check.isPending ? "Checking…" : "Unknown: the test didn't finish";
    lastError = unknown;
    unmatched = unknown;
  }

  return (
    <Stack data-testid="channel-troubleshooting">
      <Group justify="space-between" align="flex-start">
        <Text size="sm" c="dimmed" maw={520}>
          Counterline asks {channel.account} whether the access it was given still works, using a
          real request.
        </Text>
        <Button
          data-testid="channel-check"
          variant="light"
          leftSection={<IconPlugConnected size={16} />}
          loading={check.isFetching}
          onClick={() => void check.refetch()}
        >
          Test connection now
        </Button>
      </Group>

      <CheckResult
        pending={check.isPending}
        failure={check.isError ? errorMessage(check.error) : null}
        ok={health?.credentialsOk ?? false}
        message={health?.message ?? ""}
        checkedAt={health?.checkedAt ?? null}
      />

      <DataList withDivider labelWidth={220}>
        <DataList.Item>
          <DataList.ItemLabel>Status</DataList.ItemLabel>
          <DataList.ItemValue>
            <Stack gap={4} align="flex-start">
              <ChannelStatusBadge status={channel.status} />
              {problem && <Text size="sm">{problem}</Text>}
            </Stack>
          </DataList.ItemValue>
        </DataList.Item>
        <DataList.Item>
          <DataList.ItemLabel>Last error</DataList.ItemLabel>
          <DataList.ItemValue data-testid="channel-last-error">{lastError}</DataList.ItemValue>
        </DataList.Item>
        <DataList.Item>
          <DataList.ItemLabel>Newest order received</DataList.ItemLabel>
          <DataList.ItemValue>
            <MomentWithDate at={health?.lastOrderAt ?? channel.lastOrderAt} never="No orders yet" />
          </DataList.ItemValue>
        </DataList.Item>
        <DataList.Item>
          <DataList.ItemLabel>Last sync</DataList.ItemLabel>
          <DataList.ItemValue>
            <MomentWithDate at={channel.lastSyncedAt} never="Never" />
          </DataList.ItemValue>
        </DataList.Item>
        <DataList.Item>
          <DataList.ItemLabel>Orders matching no member</DataList.ItemLabel>
          <DataList.ItemValue data-testid="channel-orders-without-email">
            <Group gap="xs">
              <Text size="sm">{unmatched}</Text>
              {health && health.ordersUnmatched > 0 && (
                <Anchor
                  component={Link}
                  to={`/members/unmatched?channel=${channel.id}`}
                  size="sm"
                  data-testid="channel-unmatched-link"
                >
                  See them
                </Anchor>
              )}
            </Group>
          </DataList.ItemValue>
        </DataList.Item>
      </DataList>
    </Stack>
  );
}

function CheckResult({
  pending,
  failure,
  ok,
  message,
  checkedAt,
}: {
  pending: boolean;
  failure: string | null;
  ok: boolean;
  message: string;
  checkedAt: number | null;
}) {
  if (pending) {
    return (
      <Group gap="xs">
        <Loader size="xs" />
        <Text size="sm">Testing the connection…</Text>
      </Group>
    );
  }
  if (failure !== null) {
    return (
      <Alert
        data-testid="channel-check-result"
        data-ok="false"
        color="red"
        icon={<IconAlertTriangle />}
        title="Couldn't test the connection"
      >
        {failure}
      </Alert>
    );
  }
  return (
    <Alert
      data-testid="channel-check-result"
      data-ok={String(ok)}
      color={ok ? "green" : "red"}
      icon={ok ? <IconCircleCheck /> : <IconAlertTriangle />}
      title={ok ? "The connection works" : "The connection doesn't work"}
    >
      <Text size="sm">{message}</Text>
      {checkedAt !== null && (
        <Text size="xs" c="dimmed" mt={4}>
          Tested {formatRelativeTime(checkedAt)}
        </Text>
      )}
    </Alert>
  );
}
