// The loyalty dashboard: repeat purchase rate, spend per member, lifetime value, and members by
// segment and by tier, each charted over the chosen period with its definition on hover.

import { AreaChart, BarChart, LineChart } from "@mantine/charts";
import { Alert, Button, Card, Group, SegmentedControl, SimpleGrid, Skeleton, Stack, Text, Title, Tooltip } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconAlertTriangle, IconInfoCircle, IconRefresh } from "@tabler/icons-react";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";
import type { Insights } from "../../bindings/Insights";
import type { Segment } from "../../bindings/Segment";
import { loyaltyInsights, rfmRecompute } from "../../lib/backend";
import { errorMessage } from "../../lib/errors";
import { currencyFractionDigits, formatMoney } from "../../lib/money";
import { countOf } from "../../lib/text";
import { loyaltyKey, segmentLook, segments } from "../members/loyaltyText";
import { bucketLabel, rangeBounds, ranges, type RangeKey } from "./insightsRange";

const NOBODY = "No member has ordered in this period yet.";
const CHART_HEIGHT = 220;
const tierColors = ["gray.5", "teal.6", "yellow.6", "indigo.6", "grape.6", "red.6", "cyan.6", "orange.6"];
const segmentColors: Record<Segment, string> = {
  champions: "grape.6",
  loyal: "indigo.6",
  recent: "teal.6",
  needsAttention: "yellow.6",
  atRisk: "orange.6",
  inactive: "gray.5",
};

function Widget({
  title,
  definition,
  headline,
  children,
  testId,
}: {
  title: string;
  definition: string | undefined;
  headline?: ReactNode;
  children: ReactNode;
  testId: string;
}) {
  return (
    <Card withBorder data-testid={testId}>
      <Group gap={6} justify="space-between" wrap="nowrap">
        <Group gap={6}>
          <Title order={4}>{title}</Title>
          {definition && (
            <Tooltip label={definition} multiline w={320} withArrow position="bottom-start">
              <IconInfoCircle size={16} aria-label={`What ${title} means`} data-testid={`${testId}-definition`} data-definition={definition} style={{ cursor: "help" }} />
            </Tooltip>
          )}
        </Group>
        {headline}
      </Group>
      <div style={{ marginTop: 12 }}>{children}</div>
    </Card>
  );
}

function Empty({ text }: { text: string }) {
  return (
    <Stack h={CHART_HEIGHT} justify="center" align="center">
      <Text size="sm" c="dimmed" ta="center" data-testid="insights-widget-empty">{text}</Text>
    </Stack>
  );
}

export function InsightsPage() {
  const [range, setRange] = useState<RangeKey>("90d");
  const bounds = rangeBounds(range);
  const queryClient = useQueryClient();
  const insights = useQuery({
    queryKey: [...loyaltyKey, "insights", bounds.from, bounds.to],
    queryFn: () => loyaltyInsights({ from: bounds.from, to: bounds.to, bucket: null }),
    placeholderData: keepPreviousData,
  });
  const recompute = useMutation({
    mutationFn: () => rfmRecompute(),
    onSuccess: (summary) => {
      void queryClient.invalidateQueries({ queryKey: loyaltyKey });
      notifications.show({ color: "green", message: `Segments recomputed for ${countOf(summary.members, "member")} with orders.` });
    },
    onError: (error) => notifications.show({ color: "red", title: "Couldn't recompute the segments", message: errorMessage(error) }),
  });

  let body;
  if (insights.isPending) {
    body = (
      <SimpleGrid cols={{ base: 1, lg: 2 }} aria-label="Loading insights" data-testid="insights-loading">
        {Array.from({ length: 5 }, (_, i) => <Skeleton key={i} height={CHART_HEIGHT + 60} />)}
      </SimpleGrid>
    );
  } else if (insights.isError) {
    body = (
      <Alert color="red" icon={<IconAlertTriangle />} title="Couldn't work out the insights" data-testid="insights-error">
        <Stack gap="xs" align="flex-start">
          <Text size="sm">{errorMessage(insights.error)}</Text>
          <Button size="xs" variant="white" color="red" onClick={() => void insights.refetch()}>Try again</Button>
        </Stack>
      </Alert>
    );
  } else {
    body = <Widgets data={insights.data} onRecompute={() => recompute.mutate()} recomputing={recompute.isPending} />;
  }

  return (
    <Stack gap="md" data-testid="insights-page">
      <Group justify="space-between" align="flex-end">
        <Stack gap={4}>
          <Title order={2}>Insights</Title>
          <Text size="sm" c="dimmed">How your members buy over time. Point at the info icon beside a title to see how it is worked out.</Text>
        </Stack>
        <SegmentedControl
          aria-label="Period"
          data={ranges.map(({ value, label }) => ({ value, label }))}
          value={range}
          onChange={(value) => setRange(value as RangeKey)}
          data-testid="insights-range"
        />
      </Group>
      {body}
    </Stack>
  );
}

function Widgets({ data, onRecompute, recomputing }: { data: Insights; onRecompute: () => void; recomputing: boolean }) {
  const [rateDef, spendDef, ltvDef, segmentDef, tierDef] = data.definitions;
  const digits = currencyFractionDigits(data.currency);
  const major = (minor: number) => minor / 10 ** digits;
  const money = (value: number) => formatMoney(Math.round(value * 10 ** digits), data.currency);
  const label = (at: number) => bucketLabel(at, data.bucket);

  const rate = data.repeatPurchaseRate;
  const lastRate = rate.at(-1);
  const anyBuyers = rate.some((point) => point.buyers > 0) || data.spendPerMember.some((p) => p.members > 0);

  const spend = data.spendPerMember.map((p) => ({ bucket: label(p.start), spend: p.members > 0 ? major(p.amountMinor) : 0 }));
  const ltv = data.lifetimeValue.map((p) => ({ bucket: label(p.start), value: major(p.amountMinor) }));
  const lastLtv = data.lifetimeValue.at(-1);

  const segmentRows = data.membersBySegment.map((point) => {
    const row: Record<string, string | number> = { bucket: label(point.at) };
    for (const s of segments) row[segmentLook(s).label] = point.counts.find((c) => c.segment === s)?.members ?? 0;
    return row;
  });
  const tierNames = [...new Set(data.membersByTier.flatMap((p) => p.counts.map((c) => c.tier ?? "No tier")))];
  // "No tier" first so the stack reads from the bottom up like the tiers do.
  tierNames.sort((a, b) => (a === "No tier" ? -1 : b === "No tier" ? 1 : 0));
  const tierRows = data.membersByTier.map((point) => {
    const row: Record<string, string | number> = { bucket: label(point.at) };
    for (const name of tierNames) row[name] = point.counts.find((c) => (c.tier ?? "No tier") === name)?.members ?? 0;
    return row;
  });
  const anyTiered = data.membersByTier.some((p) => p.counts.some((c) => c.members > 0));

  return (
    <SimpleGrid cols={{ base: 1, lg: 2 }}>
      <Widget
        title={rateDef?.title ?? "Repeat purchase rate"}
        definition={rateDef?.text}
        testId="insights-repeat-rate"
        headline={
          lastRate && lastRate.buyers > 0 ? (
            <Tooltip label={`${countOf(lastRate.repeaters, "member")} of ${countOf(lastRate.buyers, "buyer")} ordered twice or more`} withArrow>
              <Text fw={700} size="xl" data-testid="insights-repeat-rate-value">{Math.round(lastRate.rate * 1000) / 10}%</Text>
            </Tooltip>
          ) : undefined
        }
      >
        {!anyBuyers ? (
          <Empty text={NOBODY} />
        ) : (
          <LineChart
            h={CHART_HEIGHT}
            data={rate.map((p) => ({ bucket: label(p.start), rate: Math.round(p.rate * 1000) / 10 }))}
            dataKey="bucket"
            series={[{ name: "rate", label: "Repeat purchase rate", color: "indigo.6" }]}
            unit="%"
            yAxisProps={{ domain: [0, 100] }}
            curveType="monotone"
            withDots={false}
          />
        )}
      </Widget>

      <Widget title={spendDef?.title ?? "Spend per member"} definition={spendDef?.text} testId="insights-spend">
        {!anyBuyers ? (
          <Empty text={NOBODY} />
        ) : (
          <BarChart h={CHART_HEIGHT} data={spend} dataKey="bucket" series={[{ name: "spend", label: "Spend per member", color: "teal.6" }]} valueFormatter={money} />
        )}
      </Widget>

      <Widget
        title={ltvDef?.title ?? "Lifetime value"}
        definition={ltvDef?.text}
        testId="insights-ltv"
        headline={lastLtv && lastLtv.members > 0 ? <Text fw={700} size="xl" data-testid="insights-ltv-value">{formatMoney(lastLtv.amountMinor, data.currency)}</Text> : undefined}
      >
        {!data.lifetimeValue.some((p) => p.members > 0) ? (
          <Empty text="No member has an order that counts yet." />
        ) : (
          <LineChart h={CHART_HEIGHT} data={ltv} dataKey="bucket" series={[{ name: "value", label: "Lifetime value", color: "grape.6" }]} valueFormatter={money} curveType="monotone" withDots={false} />
        )}
      </Widget>

      <Widget title={segmentDef?.title ?? "Members by segment"} definition={segmentDef?.text} testId="insights-segments"
        headline={
          <Button size="xs" variant="subtle" leftSection={<IconRefresh size={14} />} loading={recomputing} onClick={onRecompute} data-testid="insights-recompute">
            Recompute now
          </Button>
        }
      >
        {segmentRows.length === 0 ? (
          <Empty text="No segments recorded in this period yet. They are recorded each time segments are recomputed: when Counterline starts, or with Recompute now." />
        ) : (
          <AreaChart
            h={CHART_HEIGHT}
            data={segmentRows}
            dataKey="bucket"
            type="stacked"
            withLegend
            series={segments.map((s) => ({ name: segmentLook(s).label, color: segmentColors[s] }))}
          />
        )}
      </Widget>

      <Widget title={tierDef?.title ?? "Members by tier"} definition={tierDef?.text} testId="insights-tiers">
        {!anyTiered ? (
          <Empty text="No member has a tier in this period yet." />
        ) : (
          <AreaChart
            h={CHART_HEIGHT}
            data={tierRows}
            dataKey="bucket"
            type="stacked"
            withLegend
            series={tierNames.map((name, i) => ({ name, color: tierColors[i % tierColors.length]! }))}
          />
        )}
      </Widget>
    </SimpleGrid>
  );
}
