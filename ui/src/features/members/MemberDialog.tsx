// Create or edit a member. The backend validates (email shape, email taken); its sentence is shown
// under the field it is about, and nothing typed is lost.

import { Alert, Button, Group, Modal, Stack, Textarea, TextInput } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useNavigate } from "react-router";
import type { Member } from "../../bindings/Member";
import type { MemberInput } from "../../bindings/MemberInput";
import { memberCreate, memberUpdate } from "../../lib/backend";
import { errorMessage, isIpcError } from "../../lib/errors";
import { loyaltyKey } from "./loyaltyText";

function blankToNull(value: string): string | null {
  const trimmed = value.trim();
  return trimmed === "" ? null : trimmed;
}

export function MemberDialog({
  opened,
  onClose,
  member,
  initial,
}: {
  opened: boolean;
  onClose: () => void;
  member: Member | null;
  /** Prefills a new member ("Make a member" from an unmatched order). */
  initial?: { email: string; name: string | null };
}) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [email, setEmail] = useState("");
  const [name, setName] = useState("");
  const [phone, setPhone] = useState("");
  const [note, setNote] = useState("");

  useEffect(() => {
    if (!opened) return;
    setEmail(member?.email ?? initial?.email ?? "");
    setName(member?.name ?? initial?.name ?? "");
    setPhone(member?.phone ?? "");
    setNote(member?.note ?? "");
  }, [opened, member, initial]);

  const save = useMutation({
    mutationFn: (input: MemberInput) => (member ? memberUpdate(member.id, input) : memberCreate(input)),
    onSuccess: (profile) => {
      void queryClient.invalidateQueries({ queryKey: loyaltyKey });
      notifications.show({
        color: "green",
        message: member ? "Member saved." : `${profile.member.name ?? profile.member.email} is a member now.`,
      });
      onClose();
      if (!member) navigate(`/members/${profile.member.id}`);
    },
  });

  useEffect(() => {
    if (opened) save.reset();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [opened]);

  const message = save.isError ? errorMessage(save.error) : null;
  const aboutEmail = message !== null && isIpcError(save.error) && save.error.code === "invalid_input" && /email/i.test(message);

  return (
    <Modal opened={opened} onClose={onClose} title={member ? "Edit member" : "New member"} data-testid="member-dialog">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          save.mutate({ email: email.trim(), name: blankToNull(name), phone: blankToNull(phone), note: blankToNull(note) });
        }}
      >
        <Stack>
          <TextInput
            label="Email"
            description="Orders with this email, from any channel, belong to this member."
            required
            value={email}
            onChange={(event) => setEmail(event.currentTarget.value)}
            error={aboutEmail ? message : undefined}
            data-testid="member-email"
            data-autofocus
          />
          <TextInput label="Name" value={name} onChange={(event) => setName(event.currentTarget.value)} data-testid="member-name" />
          <TextInput label="Phone" value={phone} onChange={(event) => setPhone(event.currentTarget.value)} />
          <Textarea label="Note" rows={2} value={note} onChange={(event) => setNote(event.currentTarget.value)} />
          {message !== null && !aboutEmail && (
            <Alert color="red" data-testid="member-dialog-error">
              {message}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={save.isPending} data-testid="member-save">
              {member ? "Save" : "Add member"}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
