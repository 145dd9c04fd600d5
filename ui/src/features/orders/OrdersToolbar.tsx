import { CloseButton, Group, Kbd, Select, Text, TextInput } from "@mantine/core";
import { IconSearch } from "@tabler/icons-react";
import type { Ref } from "react";
import type { ChannelView } from "../../bindings/ChannelView";
import { countOf } from "../../lib/text";

const ALL_CHANNELS = "all";

type OrdersToolbarProps = {
  searchRef: Ref<HTMLInputElement>;
  search: string;
  onSearchChange: (value: string) => void;
  channels: ChannelView[];
  channelId: number | null;
  onChannelChange: (channelId: number | null) => void;
  total: number | null;
};

export function OrdersToolbar({
  searchRef,
  search,
  onSearchChange,
  channels,
  channelId,
  onChannelChange,
  total,
}: OrdersToolbarProps) {
  return (
    <Group justify="space-between" wrap="wrap" gap="sm">
      <Group gap="sm" wrap="wrap" style={{ flex: 1 }}>
        <TextInput
          ref={searchRef}
          data-testid="orders-search"
          aria-label="Search orders"
          placeholder="Search order number, customer or email"
          leftSection={<IconSearch size={16} />}
          rightSectionWidth={search ? undefined : 36}
          rightSection={
            search ? (
              <CloseButton size="sm" aria-label="Clear search" onClick={() => onSearchChange("")} />
            ) : (
              <Kbd size="xs">/</Kbd>
            )
          }
          value={search}
          onChange={(event) => onSearchChange(event.currentTarget.value)}
          onKeyDown={(event) => {
            // Escape hands the keyboard back to the list, whose arrow keys move the highlight.
            if (event.key === "Escape") event.currentTarget.blur();
          }}
          w={360}
          maw="100%"
        />
        <Select
          aria-label="Channel"
          data-testid="orders-channel"
          data={[
            { value: ALL_CHANNELS, label: "All channels" },
            ...channels.map((channel) => ({ value: String(channel.id), label: channel.name })),
          ]}
          value={channelId === null ? ALL_CHANNELS : String(channelId)}
          onChange={(value) =>
            onChannelChange(value === null || value === ALL_CHANNELS ? null : Number(value))
          }
          allowDeselect={false}
          w={220}
        />
      </Group>
      {total !== null && (
        <Text size="sm" c="dimmed" data-testid="orders-total" data-total={total}>
          {countOf(total, "order")}
        </Text>
      )}
    </Group>
  );
}
