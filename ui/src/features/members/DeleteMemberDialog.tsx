import { Alert, Button, Group, Modal, Stack, Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "react-router";
import type { Member } from "../../bindings/Member";
import { memberDelete } from "../../lib/backend";
import { errorMessage } from "../../lib/errors";
import { loyaltyKey } from "./loyaltyText";

/** Deleting says plainly what stays (orders) and what goes (credit, stamps, manual adjustments). */
export function DeleteMemberDialog({ opened, onClose, member }: { opened: boolean; onClose: () => void; member: Member }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const remove = useMutation({
    mutationFn: () => memberDelete(member.id),
    onSuccess: () => {
      notifications.show({ color: "green", message: `${member.name ?? member.email} is no longer a member.` });
      onClose();
      navigate("/members");
      void queryClient.invalidateQueries({ queryKey: loyaltyKey });
    },
  });
  return (
    <Modal opened={opened} onClose={onClose} title={`Delete ${member.name ?? member.email}?`} data-testid="member-delete-dialog">
      <Stack>
        <Text size="sm">
          Their orders stay in Counterline and on your channels; they just won't belong to a member
          any more and show under Unmatched orders. Their credit balance, tier, punch card stamps and
          any manual credit adjustments are removed.
        </Text>
        <Text size="sm">Adding a member with the same email later matches the orders again.</Text>
        {remove.isError && <Alert color="red">{errorMessage(remove.error)}</Alert>}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>Keep member</Button>
          <Button color="red" loading={remove.isPending} onClick={() => remove.mutate()} data-testid="member-delete-confirm">
            Delete member
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
