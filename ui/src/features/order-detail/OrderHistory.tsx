import { Badge, Card, Table, Text } from "@mantine/core";
import type { EventActor } from "../../bindings/EventActor";
import type { OrderEvent } from "../../bindings/OrderEvent";
import { formatDateTime } from "../../lib/time";

const actorLook: Record<EventActor, { label: string; color: string }> = {
  merchant: { label: "You", color: "indigo" },
  channel: { label: "The store", color: "grape" },
  counterline: { label: "Counterline", color: "gray" },
};

/** Every change to the order, newest first, with who made it. */
export function OrderHistory({ events }: { events: OrderEvent[] }) {
  return (
    <Card withBorder>
      <Text fw={600} mb="xs">
        History
      </Text>
      {events.length === 0 ? (
        <Text size="sm" c="dimmed">
          No changes recorded yet.
        </Text>
      ) : (
        <Table verticalSpacing={4}>
          <Table.Tbody>
            {events.map((event) => {
              const look = actorLook[event.actor] ?? actorLook.counterline;
              return (
                <Table.Tr key={event.id} data-testid="order-event" data-actor={event.actor}>
                  <Table.Td w={190}>
                    <Text size="sm" c="dimmed">
                      {formatDateTime(event.at)}
                    </Text>
                  </Table.Td>
                  <Table.Td w={130}>
                    <Badge variant="light" color={look.color} tt="none">
                      {look.label}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{event.summary}</Text>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      )}
    </Card>
  );
}
