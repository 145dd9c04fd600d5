// Step 1 of connecting: where does the merchant sell? One card per platform. The online stores
// can always be picked; each Lightspeed line can when this installation is able to connect it,
// and otherwise its card says why not.

import { SimpleGrid, Stack, Text } from "@mantine/core";
import { ClosedCard, PickableCard } from "./PlatformCards";
import { isLightspeed, type ConnectPlatform } from "./platforms";
import { usePlatformCards, type ShownCard } from "./usePlatformCards";

export function PlatformPicker({ onPick }: { onPick: (platform: ConnectPlatform) => void }) {
  const cards = usePlatformCards();
  const online = cards.filter((card) => !isLightspeed(card.id) && card.state === "available");
  const lightspeed = cards.filter((card) => isLightspeed(card.id));
  return (
    <Stack gap="md" data-testid="platform-picker">
      <Text size="sm">Where do you sell? Pick the platform of the store you want to connect.</Text>
      <SimpleGrid cols={{ base: 1, xs: 3 }} spacing="sm">
        {online.map((card, index) => (
          <PickableCard
            key={card.id}
            card={card}
            onPick={onPick}
            // The first card takes the focus when the picker opens in a modal.
            autoFocus={index === 0}
          />
        ))}
      </SimpleGrid>
      <Stack gap={6}>
        <Text size="sm" fw={500} id="lightspeed-heading">
          Lightspeed point of sale
        </Text>
        <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="xs" role="list" aria-labelledby="lightspeed-heading">
          {lightspeed.map((card) =>
            card.state === "available" ? (
              <div role="listitem" key={card.id}>
                <PickableCard card={card} onPick={onPick} compact />
              </div>
            ) : (
              <ClosedCard key={card.id} card={{ ...card, state: card.state }} />
            ),
          )}
        </SimpleGrid>
        <LightspeedNote cards={lightspeed} />
      </Stack>
    </Stack>
  );
}

/** Why some Lightspeed lines can't be picked, under the list. */
function LightspeedNote({ cards }: { cards: ShownCard[] }) {
  const lines = (state: ShownCard["state"]) =>
    cards.filter((card) => card.state === state).map((card) => card.name.replace(/^Lightspeed /, ""));
  const unregistered = lines("needs-registration");
  if (unregistered.length === 0) return null;
  return (
    <Text size="xs" c="dimmed" data-testid="lightspeed-note">
      {`To connect ${listOf(unregistered, "disjunction")}, Counterline first needs its Lightspeed app ` +
        "registration on this computer. Whoever set up Counterline can add it; until then you can " +
        "connect your other stores."}
    </Text>
  );
}

function listOf(names: string[], type: "disjunction"): string {
  return new Intl.ListFormat("en", { type }).format(names);
}
