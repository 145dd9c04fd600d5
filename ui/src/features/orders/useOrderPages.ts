// Orders are read a page at a time from SQLite with a keyset cursor; the list only ever holds the
// pages the merchant has scrolled through, never the whole table. The count is its own query:
// counting a million rows is slower than a page, so it never holds a page back.

import { keepPreviousData, useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import type { OrderFilter } from "../../bindings/OrderFilter";
import type { OrderRow } from "../../bindings/OrderRow";
import type { OrderSort } from "../../bindings/OrderSort";
import { ordersCount, ordersPage } from "../../lib/backend";
import { ordersKey } from "../../lib/queryKeys";

export const ORDERS_PAGE_SIZE = 100;

const noRows: OrderRow[] = [];

export function useOrderPages(filter: OrderFilter, sort: OrderSort) {
  const query = useInfiniteQuery({
    queryKey: [...ordersKey, "pages", filter, sort],
    queryFn: ({ pageParam }) => ordersPage({ filter, sort, after: pageParam, limit: ORDERS_PAGE_SIZE }),
    initialPageParam: null as string | null,
    getNextPageParam: (lastPage) => lastPage.next,
    // While a new filter loads, keep showing the previous result instead of a blank skeleton.
    placeholderData: keepPreviousData,
  });

  const pages = query.data?.pages;
  // A stable array matters: TanStack Table rebuilds its row model whenever `data` changes identity.
  const rows = useMemo(() => (pages ? pages.flatMap((page) => page.rows) : noRows), [pages]);
  return { ...query, rows };
}

export function useOrderCount(filter: OrderFilter) {
  return useQuery({
    queryKey: [...ordersKey, "count", filter],
    queryFn: () => ordersCount(filter),
    placeholderData: keepPreviousData,
  });
}
