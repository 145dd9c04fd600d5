import { useQuery } from "@tanstack/react-query";
import { orderDetail } from "../../lib/backend";
import { ordersKey } from "../../lib/queryKeys";

/** Under `ordersKey`, so a sync or a change anywhere in the orders workspace refreshes it too. */
export function orderDetailKey(orderId: number) {
  return [...ordersKey, "detail", orderId] as const;
}

export function useOrderDetail(orderId: number) {
  return useQuery({
    queryKey: orderDetailKey(orderId),
    queryFn: () => orderDetail(orderId),
    staleTime: 0,
    // A queued change goes out within seconds; keep "Waiting to sync" honest while it's open.
    refetchInterval: (query) =>
      query.state.data && query.state.data.order.syncState === "waiting" ? 3_000 : false,
  });
}
