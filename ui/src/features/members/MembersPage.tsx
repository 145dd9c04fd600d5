// The member list: search by name or email, filter by segment or tier, sort by the columns the
// backend orders by, and page through. New, import and export live in the toolbar.

import {
  Alert,
  Anchor,
  Badge,
  Button,
  EmptyState,
  Group,
  Pagination,
  Select,
  Skeleton,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  UnstyledButton,
} from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { notifications } from "@mantine/notifications";
import {
  IconAlertTriangle,
  IconChevronDown,
  IconChevronUp,
  IconDownload,
  IconFileImport,
  IconPlus,
  IconSearch,
  IconSelector,
  IconUserQuestion,
  IconUsers,
} from "@tabler/icons-react";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useNavigate } from "react-router";
import type { MemberQuery } from "../../bindings/MemberQuery";
import type { MemberSort } from "../../bindings/MemberSort";
import type { Segment } from "../../bindings/Segment";
import { loyaltySettingsGet, membersExport, membersList } from "../../lib/backend";
import { errorMessage } from "../../lib/errors";
import { formatMoney } from "../../lib/money";
import { countOf, formatCount } from "../../lib/text";
import { formatDate } from "../../lib/time";
import { ImportMembersDialog } from "./ImportMembersDialog";
import { loyaltySettingsKey, membersKey, segmentLook, segments } from "./loyaltyText";
import { MemberDialog } from "./MemberDialog";
import { datedFileName, saveTextFile } from "./saveText";

export const MEMBERS_PAGE_SIZE = 50;
const ANY = "any";
const NO_TIER = "none";

export function MembersPage() {
  const navigate = useNavigate();
  const [text, setText] = useState("");
  const [debouncedText] = useDebouncedValue(text.trim(), 250);
  const [segment, setSegment] = useState<Segment | null>(null);
  const [tier, setTier] = useState<string | null>(null);
  const [sort, setSort] = useState<MemberSort>("name");
  const [descending, setDescending] = useState(false);
  const [page, setPage] = useState(1);
  const [creating, setCreating] = useState(false);
  const [importing, setImporting] = useState(false);
  const [exporting, setExporting] = useState(false);

  const query: MemberQuery = {
    text: debouncedText || null,
    segment,
    tier,
    sort,
    descending,
    offset: (page - 1) * MEMBERS_PAGE_SIZE,
    limit: MEMBERS_PAGE_SIZE,
  };
  const members = useQuery({
    queryKey: [...membersKey, query],
    queryFn: () => membersList(query),
    placeholderData: keepPreviousData,
  });
  const settings = useQuery({ queryKey: loyaltySettingsKey, queryFn: loyaltySettingsGet });
  const currency = settings.data?.currency ?? "USD";

  const filtered = query.text !== null || segment !== null || tier !== null;
  const total = members.data?.total ?? 0;
  const rows = members.data?.rows ?? [];

  function sortBy(column: MemberSort) {
    if (sort === column) setDescending(!descending);
    else {
      setSort(column);
      // Money and dates read best biggest/newest first; names A→Z.
      setDescending(column === "spend" || column === "lastOrder" || column === "created");
    }
    setPage(1);
  }

  async function exportCsv() {
    setExporting(true);
    try {
      saveTextFile(datedFileName("members"), await membersExport());
      notifications.show({ color: "green", message: "Members exported to your Downloads folder." });
    } catch (error) {
      notifications.show({ color: "red", title: "Couldn't export the members", message: errorMessage(error) });
    } finally {
      setExporting(false);
    }
  }

  const header = (column: MemberSort | null, label: string) =>
    column === null ? (
      <Table.Th>{label}</Table.Th>
    ) : (
      <Table.Th aria-sort={sort === column ? (descending ? "descending" : "ascending") : "none"}>
        <UnstyledButton onClick={() => sortBy(column)} data-testid={`members-sort-${column}`}>
          <Group gap={4} wrap="nowrap">
            <Text fw={700} size="sm">
              {label}
            </Text>
            {sort !== column ? (
              <IconSelector size={14} />
            ) : descending ? (
              <IconChevronDown size={14} />
            ) : (
              <IconChevronUp size={14} />
            )}
          </Group>
        </UnstyledButton>
      </Table.Th>
    );

  let body;
  if (members.isPending) {
    body = (
      <Stack gap={6} aria-label="Loading members" data-testid="members-loading">
        {Array.from({ length: 6 }, (_, index) => (
          <Skeleton key={index} height={40} />
        ))}
      </Stack>
    );
  } else if (members.isError) {
    body = (
      <Alert color="red" title="Couldn't load the members" icon={<IconAlertTriangle />}>
        <Stack gap="xs" align="flex-start">
          <Text size="sm">{errorMessage(members.error)}</Text>
          <Button size="xs" variant="white" color="red" onClick={() => void members.refetch()}>
            Try again
          </Button>
        </Stack>
      </Alert>
    );
  } else if (rows.length === 0 && filtered) {
    body = (
      <EmptyState
        mt="xl"
        icon={<IconSearch size={28} />}
        title="No members match"
        description="No member matches this search and these filters."
        data-testid="members-empty"
      />
    );
  } else if (rows.length === 0) {
    body = (
      <EmptyState
        mt="xl"
        variant="light"
        icon={<IconUsers size={28} />}
        title="No members yet"
        description="Add members one by one or import a CSV file with an email column. Their orders from every channel are matched by email."
        data-testid="members-empty"
      />
    );
  } else {
    body = (
      <Table.ScrollContainer minWidth={900}>
        <Table highlightOnHover data-testid="members-table">
          <Table.Thead>
            <Table.Tr>
              {header("name", "Member")}
              {header(null, "Tier")}
              {header(null, "Segment")}
              {header(null, "Credit")}
              {header("spend", "Spend")}
              {header(null, "Orders")}
              {header("lastOrder", "Last order")}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((member) => (
              <Table.Tr
                key={member.id}
                data-testid="member-row"
                style={{ cursor: "pointer" }}
                onClick={() => navigate(`/members/${member.id}`)}
              >
                <Table.Td>
                  <Anchor component={Link} to={`/members/${member.id}`} size="sm" fw={500} onClick={(e) => e.stopPropagation()}>
                    {member.name ?? member.email}
                  </Anchor>
                  {member.name && (
                    <Text size="xs" c="dimmed">
                      {member.email}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  {member.tier ? <Badge variant="light">{member.tier}</Badge> : <Text size="sm" c="dimmed">—</Text>}
                </Table.Td>
                <Table.Td>
                  {member.segment ? (
                    <Badge variant="dot" color={segmentLook(member.segment).color} tt="none">
                      {segmentLook(member.segment).label}
                    </Badge>
                  ) : (
                    <Text size="sm" c="dimmed">No orders yet</Text>
                  )}
                </Table.Td>
                <Table.Td>{formatMoney(member.creditMinor, currency)}</Table.Td>
                <Table.Td>{formatMoney(member.spendMinor, currency)}</Table.Td>
                <Table.Td>{formatCount(member.orderCount)}</Table.Td>
                <Table.Td>{member.lastOrderAt === null ? "—" : formatDate(member.lastOrderAt)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    );
  }

  const pages = Math.max(1, Math.ceil(total / MEMBERS_PAGE_SIZE));
  return (
    <Stack gap="md" data-testid="members-page">
      <Group justify="space-between" align="flex-end">
        <Stack gap={4}>
          <Title order={2}>Members</Title>
          <Text size="sm" c="dimmed">
            Your loyalty members. Orders from every channel are matched to them by email.
          </Text>
        </Stack>
        <Group gap="xs">
          <Button variant="default" leftSection={<IconUserQuestion size={16} />} component={Link} to="/members/unmatched" data-testid="members-unmatched-link">
            Unmatched orders
          </Button>
          <Button variant="default" leftSection={<IconFileImport size={16} />} onClick={() => setImporting(true)} data-testid="members-import">
            Import CSV
          </Button>
          <Button variant="default" leftSection={<IconDownload size={16} />} onClick={() => void exportCsv()} loading={exporting} data-testid="members-export">
            Export CSV
          </Button>
          <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)} data-testid="members-new">
            New member
          </Button>
        </Group>
      </Group>

      <Group gap="sm">
        <TextInput
          aria-label="Search members"
          placeholder="Search by name or email"
          leftSection={<IconSearch size={16} />}
          value={text}
          onChange={(event) => {
            setText(event.currentTarget.value);
            setPage(1);
          }}
          w={300}
          data-testid="members-search"
        />
        <Select
          aria-label="Segment"
          data={[{ value: ANY, label: "Every segment" }, ...segments.map((s) => ({ value: s, label: segmentLook(s).label }))]}
          value={segment ?? ANY}
          onChange={(value) => {
            setSegment(value === null || value === ANY ? null : (value as Segment));
            setPage(1);
          }}
          allowDeselect={false}
          w={180}
        />
        <Select
          aria-label="Tier"
          data={[
            { value: ANY, label: "Every tier" },
            ...(settings.data?.tiers.tiers ?? []).map((t) => ({ value: t.name, label: t.name })),
          ]}
          value={tier ?? ANY}
          onChange={(value) => {
            setTier(value === null || value === ANY || value === NO_TIER ? null : value);
            setPage(1);
          }}
          allowDeselect={false}
          w={160}
        />
        {members.data && (
          <Text size="sm" c="dimmed" data-testid="members-count">
            {countOf(total, "member")}
          </Text>
        )}
      </Group>

      {body}

      {pages > 1 && (
        <Group justify="center">
          <Pagination total={pages} value={page} onChange={setPage} />
        </Group>
      )}

      <MemberDialog opened={creating} onClose={() => setCreating(false)} member={null} />
      <ImportMembersDialog opened={importing} onClose={() => setImporting(false)} />
    </Stack>
  );
}
