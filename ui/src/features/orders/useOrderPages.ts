// Orders are read a page at a time from SQLite with a keyset cursor; the list only ever holds the
// pages the merchant has scrolled through, never the whole table.

import { keepPreviousData, useInfiniteQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import type { OrderCursor } from "../../bindings/OrderCursor";
import type { OrderRow } from "../../bindings/OrderRow";
import { ordersPage } from "../../lib/backend";
import { ordersKey } from "../../lib/queryKeys";

export const ORDERS_PAGE_SIZE = 100;

export type OrderFilter = { channelId: number | null; search: string | null };

const noRows: OrderRow[] = [];

export function useOrderPages(filter: OrderFilter) {
  const query = useInfiniteQuery({
    queryKey: [...ordersKey, filter],
    queryFn: ({ pageParam }) =>
      ordersPage({ ...filter, after: pageParam, limit: ORDERS_PAGE_SIZE }),
    initialPageParam: null as OrderCursor | null,
    getNextPageParam: (lastPage) => lastPage.next,
    // While a new search loads, keep showing the previous result instead of a blank skeleton.
    placeholderData: keepPreviousData,
  });

  const pages = query.data?.pages;
  // A stable array matters: TanStack Table rebuilds its row model whenever `data` changes identity.
  const rows = useMemo(() => (pages ? pages.flatMap((page) => page.rows) : noRows), [pages]);
  // The newest page has the freshest count (a sync may have added orders since the first one).
  const total = pages?.at(-1)?.total ?? 0;

  return { ...query, rows, total };
}
