import { Button, Group } from "@mantine/core";
import { useConnectWizard } from "./ConnectWizardContext";
import { platformCards } from "./connect/platforms";

/**
 * One button per platform Counterline can connect, straight to its steps, for screens with
 * nothing to show yet. `connect-shopify` is the one the end-to-end run clicks.
 */
export function ConnectPlatformButtons() {
  const { openConnectWizard } = useConnectWizard();
  return (
    <Group justify="center" gap="sm">
      {platformCards.map((card) =>
        card.kind === "available" ? (
          <Button
            key={card.id}
            data-testid={`connect-${card.id}`}
            variant={card.id === "shopify" ? "filled" : "light"}
            onClick={() => openConnectWizard(card.id)}
          >
            Connect {card.name}
          </Button>
        ) : null,
      )}
    </Group>
  );
}
