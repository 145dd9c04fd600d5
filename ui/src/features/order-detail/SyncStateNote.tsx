import { Alert, Anchor, Badge } from "@mantine/core";
import { IconAlertTriangle, IconClockHour4 } from "@tabler/icons-react";
import { Link } from "react-router";
import type { OrderSyncState } from "../../bindings/OrderSyncState";
import { syncStateLook } from "../orders/orderStatus";

/** A small badge for a shipment or the order's header. */
export function SyncStateBadge({ state }: { state: OrderSyncState }) {
  const look = syncStateLook(state);
  return (
    <Badge variant="light" color={look.color} data-testid="sync-state" data-state={state}>
      {state === "conflict" ? "Conflict" : look.label}
    </Badge>
  );
}

/** What needs saying when the order's last change hasn't reached its channel. */
export function SyncStateNote({ state, channelName }: { state: OrderSyncState; channelName: string }) {
  if (state === "waiting") {
    return (
      <Alert color="blue" icon={<IconClockHour4 />} data-testid="order-sync-note">
        Waiting to sync: your change is saved here and goes to {channelName} as soon as it can be
        reached, also after a restart.
      </Alert>
    );
  }
  if (state === "conflict" || state === "failed") {
    return (
      <Alert color={state === "conflict" ? "orange" : "red"} icon={<IconAlertTriangle />} data-testid="order-sync-note">
        {state === "conflict"
          ? `Conflict: this order was also changed on ${channelName} after your change. `
          : `${channelName} refused your change. `}
        <Anchor component={Link} to="/sync-log" inherit>
          Resolve in Sync log
        </Anchor>
      </Alert>
    );
  }
  return null;
}
