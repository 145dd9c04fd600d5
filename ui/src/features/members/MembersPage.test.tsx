import { screen, waitFor, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import * as backend from "../../lib/__mocks__/backend";
import { memberFixture, profileFixture } from "../../test/loyaltyFixtures";
import { renderApp } from "../../test/renderApp";
import { readTextFile } from "./saveText";

vi.mock("../../lib/backend");

function lastQuery() {
  const call = backend.membersList.mock.lastCall;
  if (!call) throw new Error("members_list was never called");
  return call[0];
}

describe("MembersPage", () => {
  beforeEach(() => backend.resetFakeBackend());

  it("lists members with their tier, segment, credit, spend and last order", async () => {
    backend.membersList.mockResolvedValue({
      rows: [memberFixture(), memberFixture({ id: 2, name: null, email: "guest@example.com", tier: null, segment: null, orderCount: 0, spendMinor: 0, creditMinor: 0, lastOrderAt: null })],
      total: 2,
    });
    renderApp("/members");
    const rows = await screen.findAllByTestId("member-row");
    expect(rows).toHaveLength(2);
    expect(rows[0]).toHaveTextContent("Ada Lovelace");
    expect(rows[0]).toHaveTextContent("Silver");
    expect(rows[0]).toHaveTextContent("Loyal");
    expect(rows[0]).toHaveTextContent("$50.00");
    expect(rows[0]).toHaveTextContent("$512.00");
    // A member without orders reads as such instead of showing a blank segment.
    expect(rows[1]).toHaveTextContent("guest@example.com");
    expect(rows[1]).toHaveTextContent("No orders yet");
    expect(screen.getByTestId("members-count")).toHaveTextContent("2 members");
  });

  it("searches by name or email and sorts by spend, biggest first, then flips", async () => {
    backend.membersList.mockImplementation(async (query) =>
      query.text === null ? { rows: [memberFixture()], total: 1 } : { rows: [], total: 0 },
    );
    const app = renderApp("/members");
    await screen.findAllByTestId("member-row");
    expect(lastQuery()).toMatchObject({ text: null, sort: "name", descending: false, offset: 0 });

    await app.user.type(screen.getByTestId("members-search"), "ada");
    await waitFor(() => expect(lastQuery().text).toBe("ada"));
    // A search with no hits says so, rather than inviting the merchant to add members.
    expect(await screen.findByText("No members match")).toBeInTheDocument();

    await app.user.clear(screen.getByTestId("members-search"));
    await screen.findAllByTestId("member-row");
    await app.user.click(screen.getByTestId("members-sort-spend"));
    await waitFor(() => expect(lastQuery()).toMatchObject({ sort: "spend", descending: true }));
    await app.user.click(screen.getByTestId("members-sort-spend"));
    await waitFor(() => expect(lastQuery()).toMatchObject({ sort: "spend", descending: false }));
  });

  it("shows the backend's sentence under the email field and keeps what was typed", async () => {
    backend.memberCreate.mockRejectedValue({ code: "invalid_input", message: "Another member already has the email ada@example.com." });
    const app = renderApp("/members");
    await app.user.click(await screen.findByTestId("members-new"));
    const dialog = await screen.findByRole("dialog");
    await app.user.type(within(dialog).getByTestId("member-email"), "ada@example.com");
    await app.user.type(within(dialog).getByTestId("member-name"), "Ada");
    await app.user.click(within(dialog).getByTestId("member-save"));

    expect(await within(dialog).findByText("Another member already has the email ada@example.com.")).toBeInTheDocument();
    expect(within(dialog).getByTestId("member-email")).toHaveAttribute("aria-invalid", "true");
    expect(within(dialog).getByTestId("member-name")).toHaveValue("Ada");
    expect(backend.memberCreate).toHaveBeenCalledWith({ email: "ada@example.com", name: "Ada", phone: null, note: null });
  });

  it("opens the new member's profile after creating them", async () => {
    backend.memberCreate.mockResolvedValue(profileFixture({ member: memberFixture({ id: 9 }) }));
    backend.memberGet.mockResolvedValue(profileFixture({ member: memberFixture({ id: 9 }) }));
    const app = renderApp("/members");
    await app.user.click(await screen.findByTestId("members-new"));
    await app.user.type(await screen.findByTestId("member-email"), "ada@example.com");
    await app.user.click(screen.getByTestId("member-save"));
    await waitFor(() => expect(app.router.state.location.pathname).toBe("/members/9"));
  });

  it("previews an import and keeps Import disabled while any line has a problem", async () => {
    backend.membersImportPreview.mockResolvedValue({
      rows: [{ line: 2, email: "ada@example.com", name: "Ada", phone: null, note: null, action: "create" }],
      totalRows: 2,
      creates: 1,
      updates: 0,
      unchanged: 0,
      problems: [{ line: 3, message: "Line 3: the email is missing." }],
    });
    const app = renderApp("/members");
    await app.user.click(await screen.findByTestId("members-import"));
    const dialog = await screen.findByRole("dialog");
    const input = dialog.querySelector("input[type=file]") as HTMLInputElement;
    await app.user.upload(input, new File(["email,name\nada@example.com,Ada\n,Bob\n"], "members.csv", { type: "text/csv" }));

    expect(await within(dialog).findByTestId("import-creates")).toHaveTextContent("1 new member");
    expect(within(dialog).getByTestId("import-problems")).toHaveTextContent("Line 3: the email is missing.");
    expect(within(dialog).getByTestId("import-confirm")).toBeDisabled();
    expect(backend.membersImportPreview).toHaveBeenCalledWith("email,name\nada@example.com,Ada\n,Bob\n");
    expect(backend.membersImport).not.toHaveBeenCalled();
  });

  it("imports a clean file and says nothing was imported when the backend refuses it", async () => {
    backend.membersImportPreview.mockResolvedValue({
      rows: [{ line: 2, email: "ada@example.com", name: null, phone: null, note: null, action: "update" }],
      totalRows: 1,
      creates: 0,
      updates: 1,
      unchanged: 0,
      problems: [],
    });
    backend.membersImport.mockRejectedValueOnce({ code: "invalid_input", message: "Line 2: another member took this email meanwhile." });
    const app = renderApp("/members");
    await app.user.click(await screen.findByTestId("members-import"));
    const dialog = await screen.findByRole("dialog");
    await app.user.upload(dialog.querySelector("input[type=file]") as HTMLInputElement, new File(["email\nada@example.com\n"], "m.csv"));
    const confirm = await within(dialog).findByTestId("import-confirm");
    await waitFor(() => expect(confirm).toBeEnabled());
    await app.user.click(confirm);
    expect(await within(dialog).findByTestId("import-error")).toHaveTextContent("Nothing was imported");

    backend.membersImport.mockResolvedValue({ created: 0, updated: 1, unchanged: 0 });
    await app.user.click(confirm);
    expect(await screen.findByText("Members imported")).toBeInTheDocument();
    expect(backend.membersImport).toHaveBeenLastCalledWith("email\nada@example.com\n");
  });

  it("saves the export as a CSV file", async () => {
    const createObjectURL = vi.fn(() => "blob:members");
    URL.createObjectURL = createObjectURL;
    URL.revokeObjectURL = vi.fn();
    const click = vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(() => {});
    const app = renderApp("/members");
    await app.user.click(await screen.findByTestId("members-export"));
    await waitFor(() => expect(click).toHaveBeenCalled());
    const anchor = click.mock.contexts[0] as HTMLAnchorElement;
    expect(anchor.download).toMatch(/^members-\d{4}-\d{2}-\d{2}\.csv$/);
    const blob = (createObjectURL.mock.calls[0] as unknown as [Blob])[0];
    expect(await readTextFile(blob)).toContain("email,name,phone,note,tier");
    click.mockRestore();
  });
});
