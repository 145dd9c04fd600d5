// The orders list body. Only the rows in view (plus a margin) exist in the DOM, which keeps
// WebKitGTK responsive however far the merchant scrolls; spacer rows stand in for the rest.

import { Box, Group, Loader, Table, Text, UnstyledButton } from "@mantine/core";
import { useHotkeys } from "@mantine/hooks";
import { useTable } from "@tanstack/react-table";
import { useVirtualizer } from "@tanstack/react-virtual";
import { IconArrowDown, IconArrowUp, IconSelector } from "@tabler/icons-react";
import { useEffect, useRef, useState } from "react";
import type { OrderRow } from "../../bindings/OrderRow";
import type { OrderSort } from "../../bindings/OrderSort";
import { orderColumns, orderTableFeatures, orderTableMinWidth } from "./orderColumns";
import { nextSort } from "./orderSearch";

export const ORDER_ROW_HEIGHT = 56;
const HEADER_HEIGHT = 40;
/** Start loading the next page when the last rendered row is this close to the end. */
const PREFETCH_DISTANCE = 30;

type OrdersTableProps = {
  rows: OrderRow[];
  sort: OrderSort;
  onSort: (sort: OrderSort) => void;
  onOpen: (order: OrderRow) => void;
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => unknown;
};

export function OrdersTable({
  rows,
  sort,
  onSort,
  onOpen,
  hasNextPage,
  isFetchingNextPage,
  fetchNextPage,
}: OrdersTableProps) {
  const table = useTable({
    features: orderTableFeatures,
    columns: orderColumns,
    data: rows,
    getRowId: (order) => String(order.id),
  });
  const tableRows = table.getRowModel().rows;

  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: tableRows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ORDER_ROW_HEIGHT,
    overscan: 10,
    // The sticky header sits inside the scroll container above the first row.
    paddingStart: HEADER_HEIGHT,
    scrollPaddingStart: HEADER_HEIGHT,
    getItemKey: (index) => tableRows[index]?.id ?? index,
  });
  const items = virtualizer.getVirtualItems();
  const lastRendered = items.at(-1)?.index ?? -1;

  useEffect(() => {
    if (hasNextPage && !isFetchingNextPage && lastRendered >= tableRows.length - PREFETCH_DISTANCE) {
      void fetchNextPage();
    }
  }, [lastRendered, tableRows.length, hasNextPage, isFetchingNextPage, fetchNextPage]);

  const [highlighted, setHighlighted] = useState<number | null>(null);
  function moveHighlight(step: 1 | -1) {
    if (tableRows.length === 0) return;
    const next = Math.min(tableRows.length - 1, Math.max(0, (highlighted ?? -1) + step));
    setHighlighted(next);
    virtualizer.scrollToIndex(next, { align: "auto" });
  }
  useHotkeys([
    ["ArrowDown", () => moveHighlight(1)],
    ["ArrowUp", () => moveHighlight(-1)],
    [
      "Enter",
      () => {
        const order = highlighted === null ? undefined : tableRows[highlighted]?.original;
        if (order) onOpen(order);
      },
    ],
  ]);

  const paddingTop = items.length > 0 ? (items[0]?.start ?? 0) - HEADER_HEIGHT : 0;
  const paddingBottom = items.length > 0 ? virtualizer.getTotalSize() - (items.at(-1)?.end ?? 0) : 0;
  const columnCount = orderColumns.length;

  return (
    <Box
      ref={scrollRef}
      data-testid="orders-scroll"
      style={{ flex: 1, minHeight: 0, overflow: "auto", overscrollBehavior: "contain" }}
    >
      <Table stickyHeader layout="fixed" miw={orderTableMinWidth} highlightOnHover>
        <Table.Thead>
          {table.getHeaderGroups().map((group) => (
            <Table.Tr key={group.id} h={HEADER_HEIGHT}>
              {group.headers.map((header) => {
                const meta = header.column.columnDef.meta;
                const sorted = meta?.sort !== undefined && meta.sort === sort.column ? sort.direction : null;
                const label = header.isPlaceholder ? null : <table.FlexRender header={header} />;
                const SortIcon = sorted === "asc" ? IconArrowUp : sorted === "desc" ? IconArrowDown : IconSelector;
                return (
                  <Table.Th
                    key={header.id}
                    w={meta?.width}
                    ta={meta?.align}
                    aria-sort={sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : meta?.sort ? "none" : undefined}
                  >
                    {meta?.sort ? (
                      <UnstyledButton
                        data-testid={`sort-${meta.sort}`}
                        onClick={() => onSort(nextSort(sort, meta.sort!))}
                        fz="sm"
                        fw={700}
                        style={{ display: "inline-flex", alignItems: "center", gap: 4 }}
                      >
                        {label}
                        <SortIcon size={14} opacity={sorted ? 1 : 0.4} />
                      </UnstyledButton>
                    ) : (
                      label
                    )}
                  </Table.Th>
                );
              })}
            </Table.Tr>
          ))}
        </Table.Thead>
        <Table.Tbody>
          {paddingTop > 0 && <SpacerRow height={paddingTop} columns={columnCount} />}
          {items.map((item) => {
            const row = tableRows[item.index];
            if (!row) return null;
            const isHighlighted = item.index === highlighted;
            return (
              <Table.Tr
                key={row.id}
                data-testid="order-row"
                data-order-number={row.original.number}
                data-order-id={row.original.id}
                data-sync-state={row.original.syncState}
                data-status={row.original.status}
                data-created-at={row.original.createdAt}
                data-item-count={row.original.itemCount}
                data-highlighted={isHighlighted || undefined}
                aria-selected={isHighlighted}
                h={ORDER_ROW_HEIGHT}
                bg={isHighlighted ? "var(--mantine-primary-color-light)" : undefined}
                style={{ cursor: "pointer" }}
                onClick={() => {
                  setHighlighted(item.index);
                  onOpen(row.original);
                }}
              >
                {row.getAllCells().map((cell) => (
                  <Table.Td
                    key={cell.id}
                    ta={cell.column.columnDef.meta?.align}
                    style={{ overflow: "hidden" }}
                  >
                    <table.FlexRender cell={cell} />
                  </Table.Td>
                ))}
              </Table.Tr>
            );
          })}
          {paddingBottom > 0 && <SpacerRow height={paddingBottom} columns={columnCount} />}
          {isFetchingNextPage && (
            <Table.Tr>
              <Table.Td colSpan={columnCount}>
                <Group justify="center" gap="xs" py={4}>
                  <Loader size="xs" />
                  <Text size="sm" c="dimmed">
                    Loading more orders…
                  </Text>
                </Group>
              </Table.Td>
            </Table.Tr>
          )}
        </Table.Tbody>
      </Table>
    </Box>
  );
}

function SpacerRow({ height, columns }: { height: number; columns: number }) {
  return (
    <tr aria-hidden style={{ height }}>
      <td colSpan={columns} style={{ padding: 0, border: 0 }} />
    </tr>
  );
}
