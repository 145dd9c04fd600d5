import { Button, Group, Stack, Text, Title } from "@mantine/core";

export function WelcomeStep({ onContinue }: { onContinue: () => void }) {
  return (
    <Stack>
      <Title order={3}>Welcome to Counterline</Title>
      <Text>
        Counterline brings the orders from every place you sell into one list on this computer, so
        you can review and work on them even when the internet is down.
      </Text>
      <Text>
        Connect your first sales channel and Counterline imports its order history for you; it
        takes a couple of minutes.
      </Text>
      <Group justify="flex-end">
        <Button data-testid="onboarding-continue" onClick={onContinue} autoFocus>
          Continue
        </Button>
      </Group>
    </Stack>
  );
}
