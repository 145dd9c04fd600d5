// Where stock is kept: warehouses and stores, and how many of each SKU are on hand there. Enough
// of a model for shipping from a location; products and publishing come later.

import { Alert, Button, Card, Group, NumberInput, SegmentedControl, Select, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconAlertTriangle } from "@tabler/icons-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import type { Location } from "../../bindings/Location";
import type { LocationKind } from "../../bindings/LocationKind";
import { locationSave, locationsList, stockLevels, stockSet } from "../../lib/backend";
import { errorMessage } from "../../lib/errors";
import { locationsKey } from "../../lib/queryKeys";
import { formatCount } from "../../lib/text";

const kindLabel: Record<LocationKind, string> = { warehouse: "Warehouse", store: "Store" };

export function LocationsPage() {
  const locations = useQuery({ queryKey: locationsKey, queryFn: locationsList });
  return (
    <Stack gap="md" data-testid="locations-page" maw={820}>
      <Title order={2}>Locations & stock</Title>
      <Text size="sm" c="dimmed">
        The warehouses and stores you ship from. When you ship an order, its items are taken off
        the stock of the location you choose.
      </Text>
      {locations.isError && (
        <Alert color="red" icon={<IconAlertTriangle />} title="Couldn't load locations">
          {errorMessage(locations.error)}
        </Alert>
      )}
      <Card withBorder>
        <Stack gap="xs">
          {locations.data?.length === 0 && (
            <Text size="sm" c="dimmed">
              No locations yet. Add the place you ship from.
            </Text>
          )}
          {locations.data?.map((location) => <LocationRow key={location.id} location={location} />)}
          <LocationForm location={null} />
        </Stack>
      </Card>
      {locations.data && locations.data.length > 0 && <StockEditor locations={locations.data} />}
    </Stack>
  );
}

function LocationRow({ location }: { location: Location }) {
  const [editing, setEditing] = useState(false);
  if (editing) return <LocationForm location={location} onDone={() => setEditing(false)} />;
  return (
    <Group justify="space-between" data-testid="location-row">
      <Text>
        {location.name}{" "}
        <Text span size="sm" c="dimmed">
          {kindLabel[location.kind]}
        </Text>
      </Text>
      <Button size="xs" variant="subtle" onClick={() => setEditing(true)}>
        Rename
      </Button>
    </Group>
  );
}

function LocationForm({ location, onDone }: { location: Location | null; onDone?: () => void }) {
  const [name, setName] = useState(location?.name ?? "");
  const [kind, setKind] = useState<LocationKind>(location?.kind ?? "warehouse");
  const queryClient = useQueryClient();
  const save = useMutation({
    mutationFn: () => locationSave(location?.id ?? null, name.trim(), kind),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: locationsKey });
      if (!location) setName("");
      onDone?.();
    },
  });
  function submit(event: FormEvent) {
    event.preventDefault();
    if (name.trim()) save.mutate();
  }
  return (
    <form onSubmit={submit} noValidate>
      <Group align="flex-start" gap="sm">
        <TextInput
          aria-label={location ? "Location name" : "New location name"}
          placeholder={location ? undefined : "New location, e.g. Back room"}
          value={name}
          onChange={(event) => setName(event.currentTarget.value)}
          error={save.isError ? errorMessage(save.error) : undefined}
          style={{ flex: 1 }}
          data-testid={location ? "location-name" : "new-location-name"}
        />
        <SegmentedControl
          value={kind}
          onChange={(value) => setKind(value as LocationKind)}
          data={[
            { value: "warehouse", label: "Warehouse" },
            { value: "store", label: "Store" },
          ]}
        />
        <Button type="submit" loading={save.isPending} disabled={!name.trim()} data-testid={location ? "location-save" : "location-add"}>
          {location ? "Save" : "Add location"}
        </Button>
        {location && (
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
        )}
      </Group>
    </form>
  );
}

function StockEditor({ locations }: { locations: Location[] }) {
  const [locationId, setLocationId] = useState(String(locations[0]!.id));
  const [sku, setSku] = useState("");
  const [onHand, setOnHand] = useState<number | string>(0);
  const [looked, setLooked] = useState<string[]>([]);
  const queryClient = useQueryClient();
  const levels = useQuery({
    queryKey: ["stock", Number(locationId), looked] as const,
    queryFn: () => stockLevels(Number(locationId), looked),
    enabled: looked.length > 0,
  });
  const set = useMutation({
    mutationFn: () => stockSet(Number(locationId), sku.trim(), Number(onHand)),
    onSuccess: () => {
      const name = locations.find((l) => String(l.id) === locationId)?.name ?? "the location";
      notifications.show({ color: "green", message: `${sku.trim()}: ${formatCount(Number(onHand))} on hand at ${name}.` });
      setLooked((current) => [...new Set([...current, sku.trim()])]);
      void queryClient.invalidateQueries({ queryKey: ["stock"] });
    },
  });
  function submit(event: FormEvent) {
    event.preventDefault();
    if (sku.trim() && Number.isInteger(Number(onHand)) && Number(onHand) >= 0) set.mutate();
  }
  return (
    <Card withBorder>
      <Text fw={600} mb="xs">
        Stock on hand
      </Text>
      <form onSubmit={submit} noValidate>
        <Group align="flex-end" gap="sm">
          <Select
            label="Location"
            data={locations.map((l) => ({ value: String(l.id), label: l.name }))}
            value={locationId}
            onChange={(value) => value && setLocationId(value)}
            allowDeselect={false}
            w={200}
          />
          <TextInput label="SKU" value={sku} onChange={(event) => setSku(event.currentTarget.value)} data-testid="stock-sku" w={180} />
          <NumberInput label="On hand" min={0} allowDecimal={false} allowNegative={false} value={onHand} onChange={setOnHand} w={120} data-testid="stock-on-hand" />
          <Button type="submit" loading={set.isPending} disabled={!sku.trim()} data-testid="stock-save">
            Set stock
          </Button>
        </Group>
      </form>
      {set.isError && (
        <Text size="sm" c="red" mt="xs">
          {errorMessage(set.error)}
        </Text>
      )}
      {levels.data && levels.data.length > 0 && (
        <Table mt="sm" verticalSpacing={4}>
          <Table.Tbody>
            {levels.data.map((level) => (
              <Table.Tr key={level.sku} data-testid="stock-row">
                <Table.Td>{level.sku}</Table.Td>
                <Table.Td ta="right">{formatCount(level.onHand)} on hand</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Card>
  );
}
