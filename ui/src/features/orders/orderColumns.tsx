// The columns of the orders list. Filtering and ordering happen in SQLite, so the table
// registers no client-side processing features: it only lays out the rows it is given.

import { Badge, Text } from "@mantine/core";
import { createColumnHelper, tableFeatures } from "@tanstack/react-table";
import type { OrderRow } from "../../bindings/OrderRow";
import { formatMoney } from "../../lib/money";
import { formatCount, humanizeStatus } from "../../lib/text";
import { formatDate, formatTime } from "../../lib/time";
import { platformBadge } from "../channels/channelStatus";
import { orderStatusBadge } from "./orderStatus";

export type OrderColumnMeta = {
  /** Fixed width in px; a column without one takes the space left over. */
  width?: number;
  align?: "right";
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
    meta: { width: 84 },
    cell: (info) => (
      <Text size="sm" fw={600} truncate>
        {info.getValue()}
      </Text>
    ),
  }),
  column.accessor("createdAt", {
    header: "Date",
    meta: { width: 120 },
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
    meta: { width: 130 },
    cell: (info) => (
      <Badge
        variant="light"
        color={platformBadge(info.row.original.platform).color}
        tt="none"
        maw="100%"
      >
        {info.getValue()}
      </Badge>
    ),
  }),
  column.accessor("status", {
    header: "Status",
    meta: { width: 120 },
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
    meta: { width: 140 },
    cell: (info) => (
      <Text size="sm" truncate>
        {humanizeStatus(info.getValue()) ?? dash}
      </Text>
    ),
  }),
  column.accessor("fulfillmentStatus", {
    header: "Fulfillment",
    meta: { width: 140 },
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
    meta: { width: 110, align: "right" },
    cell: (info) => (
      <Text size="sm" fw={500} truncate>
        {formatMoney(info.getValue(), info.row.original.currency)}
      </Text>
    ),
  }),
]);
