// Demo mode's shortcut: connect the sandbox's store for this platform without an account. The
// demo credentials stay in Rust; the UI only asks for "the demo store".

import { Button, Card, Group, Stack, Text } from "@mantine/core";
import { IconFlask } from "@tabler/icons-react";

export function DemoStoreCard({
  testId,
  platformName,
  store,
  loading,
  disabled,
  onUse,
}: {
  testId: string;
  platformName: string;
  /** The demo store's address or hash, when the backend names it. */
  store: string | null;
  loading: boolean;
  disabled: boolean;
  onUse: () => void;
}) {
  return (
    <Card withBorder padding="sm" bg="var(--mantine-color-grape-light)">
      <Group justify="space-between" wrap="nowrap" gap="sm">
        <Stack gap={2}>
          <Text fw={600} size="sm">
            Demo mode
          </Text>
          <Text size="sm">
            Try {platformName} with the built-in sandbox store
            {store ? ` (${store})` : ""}. No account or password needed.
          </Text>
        </Stack>
        <Button
          data-testid={testId}
          color="grape"
          leftSection={<IconFlask size={16} />}
          loading={loading}
          disabled={disabled}
          onClick={onUse}
          style={{ flexShrink: 0 }}
        >
          Use the demo store
        </Button>
      </Group>
    </Card>
  );
}
