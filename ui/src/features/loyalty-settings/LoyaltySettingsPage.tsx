// Settings › Loyalty: the program's currency and exchange rates, what counts as spend, how credit
// is earned, the tiers, and the punch cards. Edited as one draft and saved together, because the
// backend recomputes every member from the whole rule set.

import { Alert, Anchor, Button, Group, Skeleton, Stack, Text, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconAlertTriangle, IconArrowLeft } from "@tabler/icons-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { Link } from "react-router";
import type { LoyaltySettings } from "../../bindings/LoyaltySettings";
import { loyaltySettingsGet, loyaltySettingsSave } from "../../lib/backend";
import { errorMessage } from "../../lib/errors";
import { loyaltyKey, loyaltySettingsKey } from "../members/loyaltyText";
import { CurrencySection, EarningSection, SpendBaseSection } from "./MoneySections";
import { PunchCardsSection } from "./PunchCardsSection";
import { SkuCategoriesSection } from "./SkuCategoriesSection";
import { TiersSection } from "./TiersSection";
import { draftProblems } from "./draft";

export function LoyaltySettingsPage() {
  const queryClient = useQueryClient();
  const saved = useQuery({ queryKey: loyaltySettingsKey, queryFn: loyaltySettingsGet });
  const [draft, setDraft] = useState<LoyaltySettings | null>(null);
  const [showProblems, setShowProblems] = useState(false);
  // Bumped when the draft is replaced wholesale, so inputs holding their own text start over.
  const [version, setVersion] = useState(0);

  useEffect(() => {
    if (saved.data && draft === null) setDraft(saved.data);
  }, [saved.data, draft]);

  const save = useMutation({
    mutationFn: (settings: LoyaltySettings) => loyaltySettingsSave(settings),
    onSuccess: (settings) => {
      queryClient.setQueryData(loyaltySettingsKey, settings);
      setDraft(settings);
      setVersion((v) => v + 1);
      setShowProblems(false);
      void queryClient.invalidateQueries({ queryKey: loyaltyKey });
      notifications.show({ color: "green", message: "Loyalty rules saved. Every member's spend, credit, tier and stamps now follow them." });
    },
  });

  const back = (
    <Anchor component={Link} to="/settings" size="sm">
      <Group gap={4}><IconArrowLeft size={14} /> Settings</Group>
    </Anchor>
  );

  if (saved.isError) {
    return (
      <Stack>
        {back}
        <Alert color="red" icon={<IconAlertTriangle />} title="Couldn't load the loyalty rules">
          {errorMessage(saved.error)}
        </Alert>
      </Stack>
    );
  }
  if (!draft) {
    return (
      <Stack data-testid="loyalty-settings-loading">
        {back}
        <Skeleton height={32} width={260} />
        <Skeleton height={300} />
      </Stack>
    );
  }

  const update = (change: Partial<LoyaltySettings>) => setDraft({ ...draft, ...change });
  const problems = draftProblems(draft);
  const dirty = JSON.stringify(draft) !== JSON.stringify(saved.data);

  return (
    <Stack gap="lg" maw={900} data-testid="loyalty-settings">
      {back}
      <Stack gap={4}>
        <Title order={2}>Loyalty</Title>
        <Text size="sm" c="dimmed">
          The rules every member's spend, credit, tier and punch cards follow. Saving applies them to
          every order already synced, not just new ones.
        </Text>
      </Stack>

      <Stack gap="lg" key={version}>
        <CurrencySection draft={draft} update={update} />
        <SpendBaseSection draft={draft} update={update} />
        <EarningSection draft={draft} update={update} />
        <TiersSection draft={draft} update={update} />
        <PunchCardsSection draft={draft} update={update} />
      </Stack>

      {showProblems && problems.length > 0 && (
        <Alert color="red" icon={<IconAlertTriangle />} title="Fix these before saving" data-testid="loyalty-problems">
          <Stack gap={2}>
            {problems.map((problem) => <Text key={problem} size="sm">{problem}</Text>)}
          </Stack>
        </Alert>
      )}
      {save.isError && (
        <Alert color="red" icon={<IconAlertTriangle />} title="The rules weren't saved" data-testid="loyalty-save-error">
          {errorMessage(save.error)}
        </Alert>
      )}
      <Group
        justify="flex-end"
        pos="sticky"
        bottom={0}
        py="sm"
        bg="var(--mantine-color-body)"
        style={{ borderTop: "1px solid var(--mantine-color-default-border)", zIndex: 2 }}
      >
        {dirty && <Text size="sm" c="dimmed">Unsaved changes</Text>}
        <Button variant="default" disabled={!dirty} onClick={() => {
            setDraft(saved.data ?? null);
            setVersion((v) => v + 1);
            save.reset();
            setShowProblems(false);
          }}>
          Undo changes
        </Button>
        <Button
          loading={save.isPending}
          disabled={!dirty}
          onClick={() => {
            save.reset();
            if (problems.length > 0) setShowProblems(true);
            else save.mutate(draft);
          }}
          data-testid="loyalty-save"
        >
          Save rules
        </Button>
      </Group>

      <SkuCategoriesSection />
    </Stack>
  );
}
