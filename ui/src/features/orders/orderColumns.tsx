// The columns of the orders list. Filtering and ordering happen in SQLite, so the table
// registers no client-side processing features: it only lays out the rows it is given.

import { Badge, Group, Text, Tooltip } from "@mantine/core";
import { createColumnHelper, tableFeatures } from "@tanstack/react-table";
import type { OrderRow } from "../../bindings/OrderRow";
import type { OrderSortColumn } from "../../bindings/OrderSortColumn";
import { formatMoney } from "../../lib/money";
import { formatCount, humanizeStatus } from "../../lib/text";
import { formatDate, formatTime } from "../../lib/time";
import { platformBadge } from "../channels/channelStatus";
import { orderStatusBadge, syncStateLook } from "./orderStatus";

export type OrderColumnMeta = {
  /** Fixed width in px; a column without one takes the space left over. */
  width?: number;
  align?: "right";
  /** The backend's sort key for this column; a column without one can't be sorted. */
  sort?: OrderSortColumn;
};

export const orderTableFeatures = tableFeatures({ columnMeta: {} as OrderColumnMeta });

const column = createColumnHelper<typeof orderTableFeatures, OrderRow>();

const dash = (
  <Text span c="dimmed">
    —
  </Text>
);

export const orderColumns = column.columns([
  column.accessor("number", {
    header: "Order",
    meta: { width: 120, sort: "number" },
    cell: (info) => {
      // A synced order needs no mark; one whose change hasn't reached its channel does.
      const look = syncStateLook(info.row.original.syncState);
      return (
        <Group gap={6} wrap="nowrap">
          <Text size="sm" fw={600} truncate>
            {info.getValue()}
          </Text>
          {info.row.original.syncState !== "synced" && (
            <Tooltip label={look.label}>
              <Badge size="xs" variant="dot" color={look.color} data-testid="order-sync-mark" aria-label={look.label}>
                {look.short}
              </Badge>
            </Tooltip>
          )}
        </Group>
      );
    },
  }),
  column.accessor("createdAt", {
    header: "Date",
    meta: { width: 108, sort: "createdAt" },
    // Date over time keeps the column narrow enough for the whole list to fit a laptop screen.
    cell: (info) => (
      <>
        <Text size="sm" truncate>
          {formatDate(info.getValue())}
        </Text>
        <Text size="xs" c="dimmed" truncate>
          {formatTime(info.getValue())}
        </Text>
      </>
    ),
  }),
  column.display({
    id: "customer",
    header: "Customer",
    meta: { sort: "customer" },
    cell: ({ row }) => {
      const { customerName, email } = row.original;
      return (
        <>
          <Text size="sm" truncate>
            {customerName ?? (email ? "Customer" : "Guest")}
          </Text>
          {email && (
            <Text size="xs" c="dimmed" truncate>
              {email}
            </Text>
          )}
        </>
      );
    },
  }),
  column.accessor("channelName", {
    header: "Channel",
    meta: { width: 116, sort: "channel" },
    cell: (info) => (
      <Badge
        variant="light"
        color={platformBadge(info.row.original.platform).color}
        tt="none"
        maw="100%"
        // The column is narrow; a long channel name is cut short, and hovering shows it whole.
        title={info.getValue()}
      >
        {info.getValue()}
      </Badge>
    ),
  }),
  column.accessor("status", {
    header: "Status",
    meta: { width: 120, sort: "status" },
    cell: (info) => {
      const look = orderStatusBadge(info.getValue());
      return (
        <Badge color={look.color} variant="light">
          {look.label}
        </Badge>
      );
    },
  }),
  column.accessor("financialStatus", {
    header: "Payment",
    meta: { width: 136, sort: "paymentStatus" },
    cell: (info) => (
      <Text size="sm" truncate>
        {humanizeStatus(info.getValue()) ?? dash}
      </Text>
    ),
  }),
  column.accessor("fulfillmentStatus", {
    header: "Fulfillment",
    meta: { width: 136, sort: "fulfillmentStatus" },
    cell: (info) => (
      <Text size="sm" truncate>
        {humanizeStatus(info.getValue()) ?? dash}
      </Text>
    ),
  }),
  column.accessor("itemCount", {
    header: "Items",
    meta: { width: 56, align: "right" },
    cell: (info) => <Text size="sm">{formatCount(info.getValue())}</Text>,
  }),
  column.accessor("totalMinor", {
    header: "Total",
    meta: { width: 100, align: "right", sort: "total" },
    cell: (info) => (
      <Text size="sm" fw={500} truncate>
        {formatMoney(info.getValue(), info.row.original.currency)}
      </Text>
    ),
  }),
]);

/** The narrowest the column without a width (Customer) gets before the list scrolls sideways. */
const FLEXIBLE_MIN_WIDTH = 140;

/**
 * The list's minimum width: the fixed columns plus Customer at its narrowest. At 1,032 px the
 * whole row, Total included, fits the 1,048 px a 1280 px wide screen leaves the list.
 */
export const orderTableMinWidth = orderColumns.reduce((sum, def) => sum + (def.meta?.width ?? FLEXIBLE_MIN_WIDTH), 0);
