// Per-channel settings: which way data flows, how often it syncs by itself, which prices and
// warehouse it uses, and the prefix in front of its order numbers.

import {
  Alert,
  Button,
  Group,
  Input,
  SegmentedControl,
  Select,
  Stack,
  Text,
  TextInput,
} from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconAlertTriangle } from "@tabler/icons-react";
import { useMutation } from "@tanstack/react-query";
import { useId, useRef, useState, type FormEvent } from "react";
import type { ChannelView } from "../../bindings/ChannelView";
import type { SyncDirection } from "../../bindings/SyncDirection";
import { channelUpdateSettings } from "../../lib/backend";
import { errorMessage } from "../../lib/errors";
import {
  AUTO_SYNC_OFF,
  autoSyncOptions,
  draftFromSettings,
  sameSettings,
  settingsFromDraft,
  syncDirectionExplanation,
  syncDirectionOptions,
  validateDraft,
  type SettingsDraft,
} from "./channelSettings";
import { useChannelCache } from "./useChannelCache";

export function ChannelSettingsForm({ channel }: { channel: ChannelView }) {
  const [draft, setDraft] = useState<SettingsDraft>(() => draftFromSettings(channel.settings));
  const cache = useChannelCache();
  const directionId = useId();
  const fields = {
    orderPrefix: useRef<HTMLInputElement>(null),
    priceList: useRef<HTMLInputElement>(null),
    warehouse: useRef<HTMLInputElement>(null),
  };

  const save = useMutation({
    mutationFn: () => channelUpdateSettings(channel.id, settingsFromDraft(draft)),
    onSuccess: (updated) => {
      cache.replace(updated);
      // The prefix shows in every order number, so the orders list is read again.
      void cache.refreshOrders();
      setDraft(draftFromSettings(updated.settings));
      notifications.show({
        color: "green",
        title: "Settings saved",
        message: `${updated.name} uses the new settings from its next sync.`,
      });
    },
  });

  const errors = validateDraft(draft);
  const dirty = !sameSettings(settingsFromDraft(draft), channel.settings);

  function edit(patch: Partial<SettingsDraft>) {
    setDraft((current) => ({ ...current, ...patch }));
    if (save.isError) save.reset();
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const invalid = (["orderPrefix", "priceList", "warehouse"] as const).find((name) => errors[name]);
    if (invalid) {
      fields[invalid].current?.focus();
      return;
    }
    save.mutate();
  }

  const prefix = draft.orderPrefix.trim();

  return (
    <form onSubmit={submit} noValidate data-testid="channel-settings-form">
      <Stack>
        <Input.Wrapper
          id={directionId}
          labelElement="div"
          label="Sync direction"
          description={syncDirectionExplanation(draft.syncDirection)}
        >
          <SegmentedControl
            mt={4}
            aria-labelledby={`${directionId}-label`}
            aria-describedby={`${directionId}-description`}
            data={syncDirectionOptions.map(({ value, label }) => ({ value, label }))}
            value={draft.syncDirection}
            onChange={(value) => edit({ syncDirection: value as SyncDirection })}
          />
        </Input.Wrapper>

        <Select
          label="Auto-sync"
          description="How often Counterline checks this channel by itself. Off means only when you press Sync now."
          data={autoSyncOptions(channel.settings.autoSyncMinutes)}
          value={draft.autoSync}
          onChange={(value) => edit({ autoSync: value ?? AUTO_SYNC_OFF })}
          allowDeselect={false}
          maw={320}
        />

        <TextInput
          ref={fields.priceList}
          label="Price list"
          description="The prices this channel sells at. Leave empty to use your standard prices."
          placeholder="Standard prices"
          value={draft.priceList}
          onChange={(event) => edit({ priceList: event.currentTarget.value })}
          error={errors.priceList}
          maw={420}
        />

        <TextInput
          ref={fields.warehouse}
          label="Fulfilling warehouse"
          description="Where this channel's orders are packed and shipped from. Leave empty to use your main location."
          placeholder="Main location"
          value={draft.warehouse}
          onChange={(event) => edit({ warehouse: event.currentTarget.value })}
          error={errors.warehouse}
          maw={420}
        />

        <TextInput
          ref={fields.orderPrefix}
          data-testid="order-prefix"
          label="Order number prefix"
          description="Shown before this channel's order numbers, e.g. SHOP-1001"
          placeholder="SHOP-"
          value={draft.orderPrefix}
          onChange={(event) => edit({ orderPrefix: event.currentTarget.value })}
          error={errors.orderPrefix}
          autoComplete="off"
          spellCheck={false}
          maw={240}
        />
        {prefix && !errors.orderPrefix && (
          <Text size="xs" c="dimmed" mt={-8}>
            Order 1001 will show as <strong>{prefix}1001</strong>.
          </Text>
        )}

        {save.isError && (
          <Alert
            data-testid="channel-settings-error"
            color="red"
            icon={<IconAlertTriangle />}
            title="The settings weren't saved"
          >
            {errorMessage(save.error)}
          </Alert>
        )}

        <Group justify="flex-end">
          {dirty && (
            <Button
              variant="default"
              onClick={() => {
                setDraft(draftFromSettings(channel.settings));
                save.reset();
              }}
              disabled={save.isPending}
            >
              Undo changes
            </Button>
          )}
          <Button
            type="submit"
            data-testid="save-channel-settings"
            loading={save.isPending}
            disabled={!dirty}
          >
            Save settings
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
