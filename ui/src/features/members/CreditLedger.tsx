// The credit balance, every entry that moved it (earned, reversed by a refund, adjusted by hand)
// and a form for a manual adjustment, which needs a reason.

import { Alert, Anchor, Badge, Button, Card, Group, Table, Text, TextInput, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link } from "react-router";
import type { LedgerKind } from "../../bindings/LedgerKind";
import type { MemberProfile } from "../../bindings/MemberProfile";
import { memberAdjustCredit } from "../../lib/backend";
import { errorMessage } from "../../lib/errors";
import { currencyFractionDigits, formatMoney } from "../../lib/money";
import { formatDate } from "../../lib/time";
import { loyaltyKey, parseAmount } from "./loyaltyText";

const kindLook: Record<LedgerKind, { label: string; color: string }> = {
  earn: { label: "Earned", color: "green" },
  reversal: { label: "Refund", color: "orange" },
  manual: { label: "Adjusted", color: "blue" },
};

export function CreditLedger({ profile }: { profile: MemberProfile }) {
  const { member, currency, ledger } = profile;
  const queryClient = useQueryClient();
  const [amount, setAmount] = useState("");
  const [reason, setReason] = useState("");
  const [localError, setLocalError] = useState<string | null>(null);
  const adjust = useMutation({
    mutationFn: ({ minor, why }: { minor: number; why: string }) => memberAdjustCredit(member.id, minor, why),
    onSuccess: (entry) => {
      void queryClient.invalidateQueries({ queryKey: loyaltyKey });
      setAmount("");
      setReason("");
      notifications.show({
        color: "green",
        message: `Credit adjusted by ${formatMoney(entry.amountMinor, currency)}; the balance is ${formatMoney(entry.balanceMinor, currency)}.`,
      });
    },
  });

  function submit(event: React.FormEvent) {
    event.preventDefault();
    adjust.reset();
    const minor = parseAmount(amount, currencyFractionDigits(currency));
    if (minor === null) {
      setLocalError(`Enter an amount like 5.00, or -5.00 to take credit away.`);
      return;
    }
    setLocalError(null);
    adjust.mutate({ minor, why: reason.trim() });
  }

  const serverError = adjust.isError ? errorMessage(adjust.error) : null;
  const reasonError = serverError && /reason|why/i.test(serverError) ? serverError : null;
  const amountError = localError ?? (serverError && !reasonError ? serverError : null);

  return (
    <Card withBorder data-testid="member-ledger">
      <Group justify="space-between">
        <Title order={4}>Credit</Title>
        <Text fw={700} data-testid="member-ledger-balance">Balance {formatMoney(member.creditMinor, currency)}</Text>
      </Group>
      <Text size="xs" c="dimmed">
        Earned automatically from orders by the rule in{" "}
        <Anchor component={Link} to="/settings/loyalty" size="xs">
          Settings › Loyalty
        </Anchor>
        ; a refund takes back its share.
      </Text>

      <form onSubmit={submit}>
        <Group align="flex-start" mt="sm" gap="xs">
          <TextInput
            label="Adjust by"
            placeholder="5.00 or -5.00"
            value={amount}
            onChange={(event) => setAmount(event.currentTarget.value)}
            error={amountError}
            w={160}
            rightSection={<Text size="xs" c="dimmed">{currency}</Text>}
            rightSectionWidth={44}
            data-testid="credit-amount"
          />
          <TextInput
            label="Reason"
            placeholder="Goodwill for a late parcel"
            value={reason}
            onChange={(event) => setReason(event.currentTarget.value)}
            error={reasonError}
            style={{ flex: 1 }}
            data-testid="credit-reason"
          />
          <Button type="submit" mt={25} loading={adjust.isPending} data-testid="credit-adjust">
            Adjust credit
          </Button>
        </Group>
      </form>

      {ledger.length === 0 ? (
        <Text size="sm" c="dimmed" mt="sm">No credit yet. It is earned with the first order that counts.</Text>
      ) : (
        <Table mt="sm" striped data-testid="ledger-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Date</Table.Th>
              <Table.Th>Type</Table.Th>
              <Table.Th>Why</Table.Th>
              <Table.Th ta="right">Amount</Table.Th>
              <Table.Th ta="right">Balance</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {ledger.map((entry) => (
              <Table.Tr key={entry.id} data-testid="ledger-entry" data-kind={entry.kind}>
                <Table.Td>{formatDate(entry.at)}</Table.Td>
                <Table.Td>
                  <Badge variant="light" color={kindLook[entry.kind].color}>{kindLook[entry.kind].label}</Badge>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{entry.reason}</Text>
                  {entry.orderId !== null && entry.orderNumber && (
                    <Text size="xs" c="dimmed">
                      Order{" "}
                      <Anchor component={Link} to={`/orders/${entry.orderId}`} size="xs">
                        {entry.orderNumber}
                      </Anchor>
                    </Text>
                  )}
                </Table.Td>
                <Table.Td ta="right" c={entry.amountMinor < 0 ? "red" : undefined}>
                  {entry.amountMinor > 0 ? "+" : ""}
                  {formatMoney(entry.amountMinor, currency)}
                </Table.Td>
                <Table.Td ta="right">{formatMoney(entry.balanceMinor, currency)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {adjust.isError && !amountError && !reasonError && <Alert color="red" mt="sm">{serverError}</Alert>}
    </Card>
  );
}
