// The sections that are on the roadmap but not built yet.

import { Anchor, Code, Stack, Text } from "@mantine/core";
import { IconSettings } from "@tabler/icons-react";
import { Link } from "react-router";
import { PlaceholderPage } from "./PlaceholderPage";
import { useAppInfo } from "./useAppInfo";

export function SettingsPage() {
  const info = useAppInfo().data;
  return (
    <PlaceholderPage
      title="Settings"
      icon={<IconSettings size={28} />}
      description="App registrations and backups will live here."
    >
      <Text size="sm" mt="md" ta="center">
        Each sales channel's settings (sync direction, auto-sync, order number prefix) are on its
        own page under{" "}
        <Anchor component={Link} to="/channels">
          Sales channels
        </Anchor>
        .
      </Text>
      <Text size="sm" mt="xs" ta="center">
        The warehouses and stores you ship from, and their stock:{" "}
        <Anchor component={Link} to="/settings/locations" data-testid="settings-locations">
          Locations & stock
        </Anchor>
      </Text>
      <Text size="sm" mt="xs" ta="center">
        New here, or handing the computer over?{" "}
        <Anchor component={Link} to="/welcome" data-testid="onboarding-restart">
          Set up again
        </Anchor>
      </Text>
      <Text size="sm" mt="xs" ta="center">
        Tiers, credit, punch cards and exchange rates for your members:{" "}
        <Anchor component={Link} to="/settings/loyalty" data-testid="settings-loyalty">
          Loyalty
        </Anchor>
      </Text>
      {info && (
        <Stack gap={4} mt="md" align="center">
          <Text size="sm" c="dimmed">
            Counterline {info.version}. Your data is kept in
          </Text>
          <Code>{info.dataDir}</Code>
        </Stack>
      )}
    </PlaceholderPage>
  );
}
