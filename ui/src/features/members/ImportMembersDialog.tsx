// CSV import in two steps: pick a file and see what it would do (new, updated, unchanged, and
// every line with a problem), then import. Import stays disabled while any line has a problem,
// and the backend imports all or nothing.

import { Alert, Badge, Button, FileButton, Group, List, Modal, ScrollArea, Stack, Table, Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconAlertTriangle, IconFileUpload } from "@tabler/icons-react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import type { ImportAction } from "../../bindings/ImportAction";
import { membersImport, membersImportPreview } from "../../lib/backend";
import { errorMessage } from "../../lib/errors";
import { countOf, formatCount } from "../../lib/text";
import { loyaltyKey } from "./loyaltyText";
import { readTextFile } from "./saveText";

const actionLook: Record<ImportAction, { label: string; color: string }> = {
  create: { label: "New", color: "green" },
  update: { label: "Update", color: "blue" },
  unchanged: { label: "Unchanged", color: "gray" },
};

export function ImportMembersDialog({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const queryClient = useQueryClient();
  const [file, setFile] = useState<{ name: string; text: string } | null>(null);
  const preview = useMutation({ mutationFn: (csv: string) => membersImportPreview(csv) });
  const run = useMutation({
    mutationFn: (csv: string) => membersImport(csv),
    onSuccess: (result) => {
      void queryClient.invalidateQueries({ queryKey: loyaltyKey });
      notifications.show({
        color: "green",
        title: "Members imported",
        message: `${countOf(result.created, "new member")}, ${formatCount(result.updated)} updated, ${formatCount(result.unchanged)} unchanged.`,
      });
      onClose();
    },
  });

  useEffect(() => {
    if (!opened) return;
    setFile(null);
    preview.reset();
    run.reset();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [opened]);

  async function pick(picked: File | null) {
    if (!picked) return;
    const text = await readTextFile(picked);
    setFile({ name: picked.name, text });
    run.reset();
    preview.mutate(text);
  }

  const data = preview.data;
  const problems = data?.problems ?? [];
  const canImport = file !== null && data !== undefined && problems.length === 0 && data.totalRows > 0;

  return (
    <Modal opened={opened} onClose={onClose} title="Import members from CSV" size="xl" data-testid="import-dialog">
      <Stack>
        <Text size="sm">
          The file needs a header row with an <b>email</b> column; <b>name</b>, <b>phone</b> and <b>note</b> are
          used when present and other columns are ignored. A member whose email is already here is updated.
        </Text>
        <Group>
          <FileButton onChange={(picked) => void pick(picked)} accept=".csv,text/csv,text/plain">
            {(props) => (
              <Button {...props} variant="default" leftSection={<IconFileUpload size={16} />} data-testid="import-pick">
                {file ? "Choose another file" : "Choose a CSV file"}
              </Button>
            )}
          </FileButton>
          {file && <Text size="sm" c="dimmed">{file.name}</Text>}
        </Group>

        {preview.isPending && <Text size="sm">Checking the file…</Text>}
        {preview.isError && (
          <Alert color="red" icon={<IconAlertTriangle />} title="Couldn't read the file">
            {errorMessage(preview.error)}
          </Alert>
        )}

        {data && (
          <Stack gap="sm" data-testid="import-preview">
            <Group gap="xs">
              <Badge color="green" variant="light" data-testid="import-creates">{countOf(data.creates, "new member")}</Badge>
              <Badge color="blue" variant="light" data-testid="import-updates">{formatCount(data.updates)} to update</Badge>
              <Badge color="gray" variant="light" data-testid="import-unchanged">{formatCount(data.unchanged)} unchanged</Badge>
              {problems.length > 0 && (
                <Badge color="red" variant="light" data-testid="import-problem-count">
                  {countOf(problems.length, "problem")}
                </Badge>
              )}
            </Group>
            {problems.length > 0 && (
              <Alert color="red" icon={<IconAlertTriangle />} title="Fix these lines in the file, then choose it again" data-testid="import-problems">
                <ScrollArea.Autosize mah={160}>
                  <List size="sm">
                    {problems.map((problem) => (
                      <List.Item key={`${problem.line}-${problem.message}`}>{problem.message}</List.Item>
                    ))}
                  </List>
                </ScrollArea.Autosize>
                <Text size="sm" mt="xs">Nothing is imported until every line is right.</Text>
              </Alert>
            )}
            {data.rows.length > 0 && (
              <ScrollArea.Autosize mah={260}>
                <Table striped>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>Line</Table.Th>
                      <Table.Th>Email</Table.Th>
                      <Table.Th>Name</Table.Th>
                      <Table.Th>Phone</Table.Th>
                      <Table.Th>What happens</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {data.rows.map((row) => (
                      <Table.Tr key={row.line}>
                        <Table.Td>{row.line}</Table.Td>
                        <Table.Td>{row.email}</Table.Td>
                        <Table.Td>{row.name ?? ""}</Table.Td>
                        <Table.Td>{row.phone ?? ""}</Table.Td>
                        <Table.Td>
                          <Badge color={actionLook[row.action].color} variant="light">{actionLook[row.action].label}</Badge>
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </ScrollArea.Autosize>
            )}
            {data.totalRows > data.rows.length && (
              <Text size="xs" c="dimmed">
                Showing the first {formatCount(data.rows.length)} of {countOf(data.totalRows, "row")}.
              </Text>
            )}
          </Stack>
        )}

        {run.isError && (
          <Alert color="red" icon={<IconAlertTriangle />} title="Nothing was imported" data-testid="import-error">
            {errorMessage(run.error)}
          </Alert>
        )}

        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>Cancel</Button>
          <Button
            disabled={!canImport}
            loading={run.isPending}
            onClick={() => file && run.mutate(file.text)}
            data-testid="import-confirm"
          >
            {data && canImport ? `Import ${countOf(data.totalRows, "row")}` : "Import"}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
