// The start page: every place the merchant sells, its health, and the way to connect another.

import { Alert, Button, EmptyState, Group, Skeleton, Stack, Text, Title } from "@mantine/core";
import { IconAlertTriangle, IconPlugConnected, IconPlus } from "@tabler/icons-react";
import { errorMessage } from "../../lib/errors";
import { ChannelTable } from "./ChannelTable";
import { ConnectPlatformButtons } from "./ConnectPlatformButtons";
import { useConnectWizard } from "./ConnectWizardContext";
import { useChannels } from "./useChannels";

export function ChannelsPage() {
  const channels = useChannels();
  const { openConnectWizard } = useConnectWizard();

  return (
    <Stack data-testid="channels-page">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={2}>Sales channels</Title>
          <Text c="dimmed" size="sm">
            Every store and till you sell through. Orders from all of them land in one list.
          </Text>
        </div>
        <Button
          data-testid="connect-channel"
          leftSection={<IconPlus size={16} />}
          onClick={() => openConnectWizard()}
        >
          Connect a channel
        </Button>
      </Group>

      {channels.isPending ? (
        <Stack gap="xs" aria-label="Loading channels">
          <Skeleton height={44} />
          <Skeleton height={44} />
          <Skeleton height={44} />
        </Stack>
      ) : channels.isError ? (
        <Alert color="red" title="Couldn't load your channels" icon={<IconAlertTriangle />}>
          <Stack gap="xs" align="flex-start">
            <Text size="sm">{errorMessage(channels.error)}</Text>
            <Button size="xs" variant="white" color="red" onClick={() => void channels.refetch()}>
              Retry
            </Button>
          </Stack>
        </Alert>
      ) : channels.data.length === 0 ? (
        <EmptyState
          mt="xl"
          icon={<IconPlugConnected size={28} />}
          variant="light"
          title="Connect your first sales channel"
          description="A sales channel is a place you sell: a Shopify, BigCommerce or WooCommerce store today, and Lightspeed POS soon. Connect one and Counterline imports its orders into one list on this computer, so you can work with them even when the internet is down."
        >
          <EmptyState.Actions>
            <ConnectPlatformButtons />
          </EmptyState.Actions>
        </EmptyState>
      ) : (
        <ChannelTable channels={channels.data} />
      )}
    </Stack>
  );
}
