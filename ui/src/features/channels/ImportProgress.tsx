import { Alert, Progress, Stack, Text } from "@mantine/core";
import { countOf } from "../../lib/text";
import { formatTimeLeft } from "../../lib/time";
import { syncOutcome, useSyncProgress } from "./syncProgress";

/**
 * The backfill's progress for one channel. Where the platform reports the history's size
 * (WooCommerce, O-Series) the bar fills and says about how long is left; elsewhere it is
 * indeterminate until the import finishes and the counter carries the news.
 */
export function ImportProgress({ channelId }: { channelId: number }) {
  const progress = useSyncProgress(channelId);

  if (progress?.error) {
    return (
      <Alert color="red" title="The import stopped">
        {progress.error.message}
      </Alert>
    );
  }
  const done = progress?.done ?? false;
  const expected = progress?.expectedPages ?? null;
  const share = done || expected === null || expected === 0 ? 100 : (100 * progress!.pages) / expected;
  const timeLeft = !done && progress?.etaMs != null ? ` ${formatTimeLeft(progress.etaMs)}.` : "";
  return (
    <Stack gap={6} data-testid="connect-import-progress" data-expected-pages={expected ?? undefined}>
      <Progress
        value={share}
        animated={!done && expected === null}
        striped={!done && expected === null}
        color={done ? "green" : undefined}
        aria-label="Order import progress"
      />
      <Text size="sm">
        {!progress
          ? "Waiting for the import to start…"
          : done
            ? `${syncOutcome(progress)}.`
            : expected !== null
              ? `${countOf(progress.orders, "order")} so far, page ${progress.pages} of ${expected}.${timeLeft}`
              : `${countOf(progress.orders, "order")} so far…`}
      </Text>
    </Stack>
  );
}
