// One list of every channel's orders, newest first, searchable and filterable by channel.

import { Alert, Button, EmptyState, Skeleton, Stack, Text, Title } from "@mantine/core";
import { useDebouncedValue, useHotkeys } from "@mantine/hooks";
import { IconAlertTriangle, IconPlugConnected, IconSearchOff } from "@tabler/icons-react";
import { useMemo, useRef, useState } from "react";
import { errorMessage } from "../../lib/errors";
import { ConnectPlatformButtons } from "../channels/ConnectPlatformButtons";
import { useChannels } from "../channels/useChannels";
import { OrdersTable } from "./OrdersTable";
import { OrdersToolbar } from "./OrdersToolbar";
import { useOrderPages, type OrderFilter } from "./useOrderPages";
import { useRefreshOnSync } from "./useRefreshOnSync";

export const SEARCH_DEBOUNCE_MS = 250;

export function OrdersPage() {
  const channels = useChannels();
  const searchRef = useRef<HTMLInputElement>(null);
  const [search, setSearch] = useState("");
  const [debouncedSearch] = useDebouncedValue(search, SEARCH_DEBOUNCE_MS);
  const [channelId, setChannelId] = useState<number | null>(null);

  const filter = useMemo<OrderFilter>(
    () => ({ channelId, search: debouncedSearch.trim() || null }),
    [channelId, debouncedSearch],
  );
  const orders = useOrderPages(filter);
  useRefreshOnSync();
  useHotkeys([["/", () => searchRef.current?.focus()]]);

  const filtered = filter.search !== null || filter.channelId !== null;
  // Orders of a disconnected channel stay, so "nothing here" needs both: no
  // channel to connect orders from and no orders already stored.
  const noChannels =
    channels.data?.length === 0 && !filtered && orders.data !== undefined && orders.total === 0;

  let body;
  if (noChannels) {
    body = (
      <EmptyState
        mt="xl"
        variant="light"
        icon={<IconPlugConnected size={28} />}
        title="No orders yet"
        description="Connect a sales channel to see its orders here."
      >
        <EmptyState.Actions>
          <ConnectPlatformButtons />
        </EmptyState.Actions>
      </EmptyState>
    );
  } else if (orders.isPending || channels.isPending) {
    body = (
      <Stack gap={6} aria-label="Loading orders">
        {Array.from({ length: 8 }, (_, index) => (
          <Skeleton key={index} height={44} />
        ))}
      </Stack>
    );
  } else if (orders.isError && orders.rows.length === 0) {
    body = (
      <Alert color="red" title="Couldn't load orders" icon={<IconAlertTriangle />}>
        <Stack gap="xs" align="flex-start">
          <Text size="sm">{errorMessage(orders.error)}</Text>
          <Button size="xs" variant="white" color="red" onClick={() => void orders.refetch()}>
            Retry
          </Button>
        </Stack>
      </Alert>
    );
  } else if (orders.rows.length === 0) {
    body = filtered ? (
      <EmptyState
        mt="xl"
        icon={<IconSearchOff size={28} />}
        title="No orders match"
        description="Try another search or channel."
      >
        <EmptyState.Actions>
          <Button
            variant="default"
            onClick={() => {
              setSearch("");
              setChannelId(null);
            }}
          >
            Clear filters
          </Button>
        </EmptyState.Actions>
      </EmptyState>
    ) : (
      <EmptyState
        mt="xl"
        icon={<IconPlugConnected size={28} />}
        title="No orders yet"
        description="Orders appear here as soon as a connected channel has synced some."
      />
    );
  } else {
    body = (
      <OrdersTable
        // A new filter is a new list: start again at the top with nothing highlighted.
        key={`${filter.channelId}|${filter.search}`}
        rows={orders.rows}
        // After a failed page, wait for Retry instead of re-requesting it on every render.
        hasNextPage={orders.hasNextPage && !orders.isFetchNextPageError}
        isFetchingNextPage={orders.isFetchingNextPage}
        fetchNextPage={orders.fetchNextPage}
      />
    );
  }

  return (
    <Stack
      gap="md"
      style={{
        // The list scrolls inside the page so the toolbar and column headers stay in view.
        height: "calc(100vh - var(--app-shell-header-height, 0px) - 2 * var(--mantine-spacing-md))",
      }}
    >
      <Title order={2}>Orders</Title>
      {!noChannels && (
        <OrdersToolbar
          searchRef={searchRef}
          search={search}
          onSearchChange={setSearch}
          channels={channels.data ?? []}
          channelId={channelId}
          onChannelChange={setChannelId}
          total={orders.data ? orders.total : null}
        />
      )}
      {orders.isError && orders.rows.length > 0 && (
        <Alert color="red" icon={<IconAlertTriangle />}>
          {errorMessage(orders.error)}{" "}
          <Button size="compact-xs" variant="white" color="red" onClick={() => void orders.refetch()}>
            Retry
          </Button>
        </Alert>
      )}
      {body}
    </Stack>
  );
}
