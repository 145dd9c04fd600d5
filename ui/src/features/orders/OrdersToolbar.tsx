// Filters over the orders list, the count of what matches, and Export CSV. Every filter is part of
// the URL (see `orderSearch.ts`); this component only edits the view it is given.

import { Button, CloseButton, Group, Kbd, MultiSelect, Text, TextInput } from "@mantine/core";
import { IconDownload, IconSearch, IconUser } from "@tabler/icons-react";
import type { Ref } from "react";
import { useRef } from "react";
import type { ChannelView } from "../../bindings/ChannelView";
import type { OrderCount } from "../../bindings/OrderCount";
import type { OrderStatus } from "../../bindings/OrderStatus";
import { countOf, formatCount } from "../../lib/text";
import type { OrderView } from "./orderSearch";
import { orderStatuses } from "./orderSearch";
import { orderStatusBadge } from "./orderStatus";
import { useUrlDraft } from "./useUrlDraft";

export const SEARCH_DEBOUNCE_MS = 250;

type OrdersToolbarProps = {
  searchRef: Ref<HTMLInputElement>;
  view: OrderView;
  /** `replace` for typing, so Back skips the letters and returns to the previous search. */
  onChange: (change: Partial<OrderView>, options?: { replace?: boolean }) => void;
  channels: ChannelView[];
  count: OrderCount | undefined;
  onExport: () => void;
  exporting: boolean;
};

/** "1,234 orders", or "100,000+ orders" where counting stopped. */
export function orderCountText(count: OrderCount): string {
  return count.capped ? `${formatCount(count.total)}+ orders` : countOf(count.total, "order");
}

export function OrdersToolbar({ searchRef, view, onChange, channels, count, onExport, exporting }: OrdersToolbarProps) {
  // A date field fires a change per edited segment (day, month, year): the first change after
  // focusing it is one Back step, the rest of that edit replaces it, so Back undoes the whole date.
  const editingDate = useRef<"from" | "to" | null>(null);
  function changeDate(field: "from" | "to", value: string) {
    onChange({ [field]: value || null }, { replace: editingDate.current === field });
    editingDate.current = field;
  }
  const [text, setText] = useUrlDraft(view.text, (value) => onChange({ text: value }, { replace: true }), SEARCH_DEBOUNCE_MS);
  const [customer, setCustomer] = useUrlDraft(
    view.customer,
    (value) => onChange({ customer: value }, { replace: true }),
    SEARCH_DEBOUNCE_MS,
  );

  return (
    <Group justify="space-between" wrap="wrap" gap="sm" align="flex-end">
      <Group gap="sm" wrap="wrap" style={{ flex: 1 }} align="flex-end">
        <TextInput
          ref={searchRef}
          data-testid="orders-search"
          aria-label="Order number or SKU"
          placeholder="Order number or SKU"
          leftSection={<IconSearch size={16} />}
          rightSectionWidth={text ? undefined : 36}
          rightSection={
            text ? (
              <CloseButton size="sm" aria-label="Clear search" onClick={() => setText("")} />
            ) : (
              <Kbd size="xs">/</Kbd>
            )
          }
          value={text}
          onChange={(event) => setText(event.currentTarget.value)}
          onKeyDown={(event) => {
            // Escape hands the keyboard back to the list, whose arrow keys move the highlight.
            if (event.key === "Escape") event.currentTarget.blur();
          }}
          w={220}
        />
        <TextInput
          data-testid="orders-customer"
          aria-label="Customer"
          placeholder="Customer name or email"
          leftSection={<IconUser size={16} />}
          rightSection={customer ? <CloseButton size="sm" aria-label="Clear customer" onClick={() => setCustomer("")} /> : null}
          value={customer}
          onChange={(event) => setCustomer(event.currentTarget.value)}
          w={220}
        />
        <MultiSelect
          aria-label="Channels"
          data-testid="orders-channel"
          placeholder={view.channelIds.length === 0 ? "All channels" : undefined}
          data={channels.map((channel) => ({ value: String(channel.id), label: channel.name }))}
          value={view.channelIds.map(String)}
          onChange={(values) => onChange({ channelIds: values.map(Number) })}
          clearable
          w={220}
        />
        <MultiSelect
          aria-label="Statuses"
          data-testid="orders-status"
          placeholder={view.statuses.length === 0 ? "Any status" : undefined}
          data={orderStatuses.map((status) => ({ value: status, label: orderStatusBadge(status).label }))}
          value={view.statuses}
          onChange={(values) => onChange({ statuses: values as OrderStatus[] })}
          clearable
          w={220}
        />
        <Group gap={6} wrap="nowrap" align="flex-end">
          <TextInput
            type="date"
            label="From"
            size="xs"
            data-testid="orders-from"
            value={view.from ?? ""}
            max={view.to ?? undefined}
            onFocus={() => (editingDate.current = null)}
            onChange={(event) => changeDate("from", event.currentTarget.value)}
            w={150}
          />
          <TextInput
            type="date"
            label="To"
            size="xs"
            data-testid="orders-to"
            value={view.to ?? ""}
            min={view.from ?? undefined}
            onFocus={() => (editingDate.current = null)}
            onChange={(event) => changeDate("to", event.currentTarget.value)}
            w={150}
          />
        </Group>
      </Group>
      <Group gap="sm" wrap="nowrap">
        {count && (
          <Text size="sm" c="dimmed" data-testid="orders-total" data-total={count.total}>
            {orderCountText(count)}
          </Text>
        )}
        <Button
          variant="default"
          leftSection={<IconDownload size={16} />}
          onClick={onExport}
          loading={exporting}
          data-testid="orders-export"
          disabled={count?.total === 0}
        >
          Export CSV
        </Button>
      </Group>
    </Group>
  );
}
