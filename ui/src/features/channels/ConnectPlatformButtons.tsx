import { Button, Group } from "@mantine/core";
import { useConnectWizard } from "./ConnectWizardContext";
import { usePlatformCards } from "./connect/usePlatformCards";

/**
 * One button per platform this installation can connect, straight to its steps, for screens with
 * nothing to show yet. `connect-shopify` is the one the end-to-end run clicks.
 */
export function ConnectPlatformButtons() {
  const { openConnectWizard } = useConnectWizard();
  const cards = usePlatformCards().filter((card) => card.state === "available");
  return (
    <Group justify="center" gap="sm">
      {cards.map((card) => (
        <Button
          key={card.id}
          data-testid={`connect-${card.id}`}
          variant={card.id === "shopify" ? "filled" : "light"}
          onClick={() => openConnectWizard(card.id)}
        >
          Connect {card.name}
        </Button>
      ))}
    </Group>
  );
}
