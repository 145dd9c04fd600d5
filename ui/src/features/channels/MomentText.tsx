import { Text, Tooltip } from "@mantine/core";
import { formatDateTime, formatRelativeTime } from "../../lib/time";

/** A relative time ("3 hours ago") with the exact local time on hover. */
export function MomentText({ at, never, inline }: { at: number | null; never?: string; inline?: boolean }) {
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

/** "3 hours ago (Jan 15, 2025, 9:30 AM)": both at once, for facts the merchant may copy. */
export function MomentWithDate({ at, never }: { at: number | null; never: string }) {
  if (at === null) return <>{never}</>;
  return (
    <>
      {formatRelativeTime(at)} ({formatDateTime(at)})
    </>
  );
}
