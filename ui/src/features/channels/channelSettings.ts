// The channel settings form's words, choices and checks. The backend checks the same rules
// (`ChannelSettings::validate`); checking here too lets the merchant fix a typo before saving.

import type { ChannelSettings } from "../../bindings/ChannelSettings";
import type { SyncDirection } from "../../bindings/SyncDirection";

export const PREFIX_MAX_LENGTH = 12;
export const NAME_MAX_LENGTH = 100;

export const syncDirectionOptions: Array<{ value: SyncDirection; label: string; explanation: string }> = [
  {
    value: "pull",
    label: "Pull only",
    explanation: "Orders come into Counterline; nothing is sent back to the store.",
  },
  {
    value: "push",
    label: "Push only",
    explanation:
      "Counterline sends products, stock and order updates to the store, but imports no orders. (Sending is not available in this version yet.)",
  },
  {
    value: "two_way",
    label: "Two-way",
    explanation:
      "Orders come in, and the status changes and shipments you make in Counterline go back to the store. (Products and stock are not sent yet.)",
  },
];

export function syncDirectionExplanation(direction: SyncDirection): string {
  return syncDirectionOptions.find((option) => option.value === direction)?.explanation ?? "";
}

/** The Select's value for "no automatic sync". */
export const AUTO_SYNC_OFF = "off";

const autoSyncChoices: Array<{ minutes: number; label: string }> = [
  { minutes: 5, label: "Every 5 minutes" },
  { minutes: 15, label: "Every 15 minutes" },
  { minutes: 30, label: "Every 30 minutes" },
  { minutes: 60, label: "Every hour" },
  { minutes: 360, label: "Every 6 hours" },
  { minutes: 1440, label: "Daily" },
];

/**
 * The auto-sync choices, plus the channel's current interval when it is not one of them (set by
 * an older version, say), so the Select never shows a blank for a value that is really there.
 */
export function autoSyncOptions(current: number | null): Array<{ value: string; label: string }> {
  const options = [
    { value: AUTO_SYNC_OFF, label: "Off" },
    ...autoSyncChoices.map((choice) => ({ value: String(choice.minutes), label: choice.label })),
  ];
  if (current !== null && !autoSyncChoices.some((choice) => choice.minutes === current)) {
    options.push({ value: String(current), label: `Every ${current} minutes` });
  }
  return options;
}

export function autoSyncToValue(minutes: number | null): string {
  return minutes === null ? AUTO_SYNC_OFF : String(minutes);
}

export function autoSyncFromValue(value: string | null): number | null {
  if (value === null || value === AUTO_SYNC_OFF) return null;
  const minutes = Number(value);
  return Number.isInteger(minutes) && minutes > 0 ? minutes : null;
}

/** What the form edits: every text field as the merchant typed it. */
export type SettingsDraft = {
  syncDirection: SyncDirection;
  autoSync: string;
  priceList: string;
  warehouse: string;
  orderPrefix: string;
};

export type SettingsErrors = Partial<Record<"priceList" | "warehouse" | "orderPrefix", string>>;

export function draftFromSettings(settings: ChannelSettings): SettingsDraft {
  return {
    syncDirection: settings.syncDirection,
    autoSync: autoSyncToValue(settings.autoSyncMinutes),
    priceList: settings.priceList ?? "",
    warehouse: settings.warehouse ?? "",
    orderPrefix: settings.orderPrefix,
  };
}

/** Trims the text fields; an empty optional field is sent as `null`. */
export function settingsFromDraft(draft: SettingsDraft): ChannelSettings {
  return {
    syncDirection: draft.syncDirection,
    autoSyncMinutes: autoSyncFromValue(draft.autoSync),
    priceList: draft.priceList.trim() || null,
    warehouse: draft.warehouse.trim() || null,
    orderPrefix: draft.orderPrefix.trim(),
  };
}

const prefixCharacters = /^[A-Za-z0-9_-]*$/;

/** Why the prefix can't be used, or null when it can. An empty prefix means "no prefix". */
export function orderPrefixError(prefix: string): string | null {
  const text = prefix.trim();
  if (!prefixCharacters.test(text)) {
    return "Use only letters, digits, - or _ (no spaces or other symbols).";
  }
  if (text.length > PREFIX_MAX_LENGTH) {
    return `Keep it to ${PREFIX_MAX_LENGTH} characters or fewer (this one has ${text.length}).`;
  }
  return null;
}

function nameError(value: string, what: string): string | null {
  return value.trim().length > NAME_MAX_LENGTH
    ? `The ${what} name can have ${NAME_MAX_LENGTH} characters at most.`
    : null;
}

export function validateDraft(draft: SettingsDraft): SettingsErrors {
  const errors: SettingsErrors = {};
  const prefix = orderPrefixError(draft.orderPrefix);
  if (prefix) errors.orderPrefix = prefix;
  const priceList = nameError(draft.priceList, "price list");
  if (priceList) errors.priceList = priceList;
  const warehouse = nameError(draft.warehouse, "warehouse");
  if (warehouse) errors.warehouse = warehouse;
  return errors;
}

export function sameSettings(a: ChannelSettings, b: ChannelSettings): boolean {
  return (
    a.syncDirection === b.syncDirection &&
    a.autoSyncMinutes === b.autoSyncMinutes &&
    a.priceList === b.priceList &&
    a.warehouse === b.warehouse &&
    a.orderPrefix === b.orderPrefix
  );
}
