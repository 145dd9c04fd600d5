// The SKU → category map punch cards use for category rules (Lightspeed O-Series style, for every
// channel). Each change saves at once; a CSV file replaces or adds many rows, all or nothing.

import { ActionIcon, Alert, Button, FileButton, Group, Stack, Table, Text, TextInput } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconFileImport, IconPlus, IconTrash } from "@tabler/icons-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { skuCategoriesImport, skuCategoriesList, skuCategorySet } from "../../lib/backend";
import { errorMessage } from "../../lib/errors";
import { formatCount } from "../../lib/text";
import { loyaltyKey } from "../members/loyaltyText";
import { readTextFile } from "../members/saveText";
import { Section } from "./MoneySections";

const skuKey = [...loyaltyKey, "sku-categories"] as const;

export function SkuCategoriesSection() {
  const queryClient = useQueryClient();
  const map = useQuery({ queryKey: skuKey, queryFn: skuCategoriesList });
  const [sku, setSku] = useState("");
  const [category, setCategory] = useState("");
  const refresh = () => void queryClient.invalidateQueries({ queryKey: loyaltyKey });

  const set = useMutation({
    mutationFn: ({ sku, category }: { sku: string; category: string | null }) => skuCategorySet(sku, category),
    onSuccess: (_, { category }) => {
      if (category !== null) {
        setSku("");
        setCategory("");
      }
      refresh();
    },
  });
  const importCsv = useMutation({
    mutationFn: async (file: File) => skuCategoriesImport(await readTextFile(file)),
    onSuccess: (result) => {
      refresh();
      notifications.show({
        color: "green",
        message: `SKU categories imported: ${formatCount(result.created)} new, ${formatCount(result.updated)} changed, ${formatCount(result.unchanged)} unchanged.`,
      });
    },
  });

  const rows = map.data ?? [];
  return (
    <Section
      title="SKU categories"
      description="Which category each product SKU belongs to, for punch cards that only count some categories. Changes here save at once."
      testId="loyalty-sku-categories"
    >
      <Stack gap="sm">
        <form
          onSubmit={(event) => {
            event.preventDefault();
            set.reset();
            if (sku.trim() && category.trim()) set.mutate({ sku: sku.trim(), category: category.trim() });
          }}
        >
          <Group gap="xs" align="flex-end">
            <TextInput label="SKU" value={sku} onChange={(event) => setSku(event.currentTarget.value)} w={200} />
            <TextInput label="Category" value={category} onChange={(event) => setCategory(event.currentTarget.value)} w={200} />
            <Button type="submit" variant="light" leftSection={<IconPlus size={14} />} disabled={!sku.trim() || !category.trim()} loading={set.isPending}>
              Add
            </Button>
            <FileButton onChange={(file) => file && importCsv.mutate(file)} accept=".csv,text/csv,text/plain">
              {(props) => (
                <Button {...props} variant="default" leftSection={<IconFileImport size={14} />} loading={importCsv.isPending}>
                  Import CSV (sku,category)
                </Button>
              )}
            </FileButton>
          </Group>
        </form>
        {set.isError && <Alert color="red">{errorMessage(set.error)}</Alert>}
        {importCsv.isError && (
          <Alert color="red" title="Nothing was imported">{errorMessage(importCsv.error)}</Alert>
        )}
        {map.isError ? (
          <Alert color="red">{errorMessage(map.error)}</Alert>
        ) : rows.length === 0 ? (
          <Text size="sm" c="dimmed">No SKUs mapped yet.</Text>
        ) : (
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>SKU</Table.Th>
                <Table.Th>Category</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((row) => (
                <Table.Tr key={row.sku}>
                  <Table.Td>{row.sku}</Table.Td>
                  <Table.Td>{row.category}</Table.Td>
                  <Table.Td>
                    <ActionIcon variant="subtle" color="red" aria-label={`Remove ${row.sku}`} onClick={() => set.mutate({ sku: row.sku, category: null })}>
                      <IconTrash size={16} />
                    </ActionIcon>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
    </Section>
  );
}
