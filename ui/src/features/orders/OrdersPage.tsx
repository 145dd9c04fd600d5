// One list of every channel's orders: filtered, sorted and counted in SQLite, with the view kept
// in the URL so Back and Forward work, and exportable as CSV.

import { Alert, Button, EmptyState, Skeleton, Stack, Text, Title } from "@mantine/core";
import { useHotkeys } from "@mantine/hooks";
import { notifications } from "@mantine/notifications";
import { IconAlertTriangle, IconPlugConnected, IconSearchOff } from "@tabler/icons-react";
import { useMutation } from "@tanstack/react-query";
import { useMemo, useRef } from "react";
import { useNavigate, useSearchParams } from "react-router";
import { ordersExportCsv } from "../../lib/backend";
import { errorMessage } from "../../lib/errors";
import { countOf } from "../../lib/text";
import { ConnectPlatformButtons } from "../channels/ConnectPlatformButtons";
import { useChannels } from "../channels/useChannels";
import { isFiltered, orderFilterOf, orderViewParams, parseOrderView, type OrderView } from "./orderSearch";
import { OrdersTable } from "./OrdersTable";
import { OrdersToolbar } from "./OrdersToolbar";
import { useOrderCount, useOrderPages } from "./useOrderPages";

export { SEARCH_DEBOUNCE_MS } from "./OrdersToolbar";

export function OrdersPage() {
  const channels = useChannels();
  const navigate = useNavigate();
  const searchRef = useRef<HTMLInputElement>(null);
  const [params, setParams] = useSearchParams();
  const view = useMemo(() => parseOrderView(params), [params]);
  const filter = useMemo(() => orderFilterOf(view), [view]);
  const filterKey = JSON.stringify([filter, view.sort]);

  function changeView(change: Partial<OrderView>, options?: { replace?: boolean }) {
    setParams((current) => orderViewParams({ ...parseOrderView(current), ...change }), options);
  }

  const orders = useOrderPages(filter, view.sort);
  const count = useOrderCount(filter);
  useHotkeys([["/", () => searchRef.current?.focus()]]);

  const exportCsv = useMutation({
    mutationFn: () => ordersExportCsv(filter, view.sort),
    onSuccess: (done) =>
      notifications.show({
        color: "green",
        title: `Exported ${countOf(done.rows, "order")}`,
        message: <span data-testid="orders-exported">Saved to {done.path}</span>,
        autoClose: 10_000,
      }),
    onError: (error) => notifications.show({ color: "red", title: "Couldn't export the orders", message: errorMessage(error) }),
  });

  const filtered = isFiltered(view);
  // Orders of a disconnected channel stay, so "nothing here" needs both: no
  // channel to connect orders from and no orders already stored.
  const noChannels =
    channels.data?.length === 0 && !filtered && orders.data !== undefined && orders.rows.length === 0;

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
        title="No orders match these filters"
        description="Try another search, channel, status or dates."
        data-testid="orders-no-match"
      >
        <EmptyState.Actions>
          <Button variant="default" onClick={() => setParams(orderViewParams({ ...parseOrderView(new URLSearchParams()), sort: view.sort }))}>
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
        key={filterKey}
        rows={orders.rows}
        sort={view.sort}
        onSort={(sort) => changeView({ sort })}
        onOpen={(order) => navigate(`/orders/${order.id}`)}
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
      data-testid="orders-page"
      style={{
        // The list scrolls inside the page so the toolbar and column headers stay in view.
        height: "calc(100vh - var(--app-shell-header-height, 0px) - 2 * var(--mantine-spacing-md))",
      }}
    >
      <Title order={2}>Orders</Title>
      {!noChannels && (
        <OrdersToolbar
          searchRef={searchRef}
          view={view}
          onChange={changeView}
          channels={channels.data ?? []}
          count={count.data}
          onExport={() => exportCsv.mutate()}
          exporting={exportCsv.isPending}
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
