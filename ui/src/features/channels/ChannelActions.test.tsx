import { act, screen, waitFor, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import * as backend from "../../lib/__mocks__/backend";
import { channelFixture } from "../../test/fixtures";
import { renderApp } from "../../test/renderApp";

vi.mock("../../lib/backend");

async function firstRow() {
  const [row] = await screen.findAllByTestId("channel-row");
  return row!;
}

describe("Channel row actions", () => {
  beforeEach(() => backend.resetFakeBackend());

  it("pauses a channel when its Sync switch is turned off and shows it as Paused", async () => {
    const active = channelFixture({ id: 4, name: "Harbour Goods" });
    const paused = { ...active, status: "paused" as const };
    backend.channelsList.mockResolvedValue([active]);
    backend.channelSetPaused.mockImplementation(async () => {
      backend.channelsList.mockResolvedValue([paused]);
      return paused;
    });
    const app = renderApp("/channels");
    const row = await firstRow();
    const toggle = within(row).getByTestId("channel-sync-toggle");
    expect(toggle).toBeChecked();

    await app.user.click(toggle);

    expect(backend.channelSetPaused).toHaveBeenCalledWith(4, true);
    await waitFor(() => expect(row).toHaveAttribute("data-status", "paused"));
    expect(row).toHaveTextContent("Paused");
    expect(within(row).getByTestId("channel-sync-toggle")).not.toBeChecked();
    expect(within(row).getByRole("button", { name: "Sync now" })).toBeDisabled();
  });

  it("resumes a paused channel when its Sync switch is turned back on", async () => {
    const paused = channelFixture({ id: 4, status: "paused" });
    backend.channelsList.mockResolvedValue([paused]);
    backend.channelSetPaused.mockResolvedValue({ ...paused, status: "active" });
    const app = renderApp("/channels");
    const row = await firstRow();

    await app.user.click(within(row).getByTestId("channel-sync-toggle"));

    expect(backend.channelSetPaused).toHaveBeenCalledWith(4, false);
    await waitFor(() => expect(row).toHaveAttribute("data-status", "active"));
    expect(within(row).getByRole("button", { name: "Sync now" })).toBeEnabled();
  });

  it("keeps the switch where it was and says why when pausing fails", async () => {
    backend.channelsList.mockResolvedValue([channelFixture({ id: 4, name: "Harbour Goods" })]);
    backend.channelSetPaused.mockRejectedValue({ code: "database", message: "The database is busy." });
    const app = renderApp("/channels");
    const row = await firstRow();

    await app.user.click(within(row).getByTestId("channel-sync-toggle"));

    expect(await screen.findByText("The database is busy.")).toBeInTheDocument();
    expect(within(row).getByTestId("channel-sync-toggle")).toBeChecked();
  });

  it("asks before disconnecting and disconnects only after the merchant confirms", async () => {
    const channel = channelFixture({ id: 6, name: "Harbour Goods", orderCount: 1250 });
    backend.channelsList.mockResolvedValue([channel]);
    const app = renderApp("/channels");
    const row = await firstRow();

    await app.user.click(within(row).getByTestId("channel-menu"));
    await app.user.click(await screen.findByTestId("channel-disconnect"));
    const dialog = await screen.findByRole("dialog", { name: "Disconnect Harbour Goods?" });
    expect(dialog).toHaveTextContent(
      "Disconnect Harbour Goods? Counterline forgets its credentials and stops syncing. The 1,250 orders already imported stay, and members keep their history. You can connect the store again later without duplicates.",
    );

    await app.user.click(within(dialog).getByRole("button", { name: "Cancel" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    expect(backend.channelDisconnect).not.toHaveBeenCalled();

    await app.user.click(within(row).getByTestId("channel-menu"));
    await app.user.click(await screen.findByTestId("channel-disconnect"));
    backend.channelsList.mockResolvedValue([]);
    const invalidate = vi.spyOn(app.queryClient, "invalidateQueries");
    await app.user.click(await screen.findByTestId("confirm-disconnect"));

    expect(backend.channelDisconnect).toHaveBeenCalledTimes(1);
    expect(backend.channelDisconnect).toHaveBeenCalledWith(6);
    expect(await screen.findByText("Disconnected Harbour Goods")).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByTestId("channel-row")).not.toBeInTheDocument());
    // The channel list and the orders list (whose rows name the channel) are both read again.
    expect(invalidate).toHaveBeenCalledWith({ queryKey: ["channels"] });
    expect(invalidate).toHaveBeenCalledWith({ queryKey: ["orders"] });
  });

  it("keeps the dialog open with the reason when disconnecting fails", async () => {
    backend.channelsList.mockResolvedValue([channelFixture({ id: 6, name: "Harbour Goods" })]);
    backend.channelDisconnect.mockRejectedValue({
      code: "keychain_unavailable",
      message: "The system keychain is locked.",
    });
    const app = renderApp("/channels");
    const row = await firstRow();

    await app.user.click(within(row).getByTestId("channel-menu"));
    await app.user.click(await screen.findByTestId("channel-disconnect"));
    await app.user.click(await screen.findByTestId("confirm-disconnect"));

    const dialog = await screen.findByRole("dialog", { name: "Disconnect Harbour Goods?" });
    expect(await within(dialog).findByText("The system keychain is locked.")).toBeInTheDocument();
    expect(screen.getAllByTestId("channel-row")).toHaveLength(1);
  });

  it("shows a channel in Error with its problem and an inline Re-authorize", async () => {
    backend.channelsList.mockResolvedValue([
      channelFixture({ id: 1, name: "Harbour Goods" }),
      channelFixture({
        id: 2,
        name: "Old Shop",
        status: "error",
        statusDetail: "Shopify no longer accepts Counterline's access to this store.",
      }),
    ]);
    renderApp("/channels");
    const [healthy, failing] = await screen.findAllByTestId("channel-row");

    expect(within(healthy!).queryByTestId("channel-reauthorize-inline")).not.toBeInTheDocument();
    expect(failing).toHaveTextContent("Shopify no longer accepts Counterline's access to this store.");
    expect(within(failing!).getByTestId("channel-reauthorize-inline")).toBeVisible();
  });

  it("explains an Error that came without a detail", async () => {
    backend.channelsList.mockResolvedValue([channelFixture({ status: "error", statusDetail: null })]);
    renderApp("/channels");
    const row = await firstRow();
    expect(row).toHaveTextContent("Counterline can't reach this store with the access it was given.");
  });

  it("re-authorizes a failing channel in the wizard and keeps it as the same channel", async () => {
    const failing = channelFixture({ id: 2, name: "Old Shop", status: "error", statusDetail: "Access revoked." });
    backend.channelsList.mockResolvedValue([channelFixture({ id: 1, name: "Harbour Goods" }), failing]);
    backend.channelReauthorize.mockResolvedValue({
      attemptId: "attempt-re-2",
      authorizeUrl: "https://old-shop.myshopify.com/admin/oauth/authorize?x=1",
    });
    const app = renderApp("/channels");
    const rows = await screen.findAllByTestId("channel-row");

    await app.user.click(within(rows[1]!).getByTestId("channel-reauthorize-inline"));

    expect(await screen.findByTestId("connect-waiting")).toHaveTextContent("We opened Shopify in your browser.");
    expect(backend.channelReauthorize).toHaveBeenCalledTimes(1);
    expect(backend.channelReauthorize).toHaveBeenCalledWith(2);
    expect(screen.queryByTestId("shop-domain")).not.toBeInTheDocument();

    // Another attempt's sign-in is not this one's.
    act(() => backend.emitConnectOutcome({ attemptId: "other", channel: channelFixture({ id: 9 }), error: null }));
    expect(screen.getByTestId("connect-waiting")).toBeInTheDocument();

    const repaired = { ...failing, status: "active" as const, statusDetail: null };
    backend.channelsList.mockResolvedValue([channelFixture({ id: 1, name: "Harbour Goods" }), repaired]);
    act(() => backend.emitConnectOutcome({ attemptId: "attempt-re-2", channel: repaired, error: null }));

    expect(await screen.findByTestId("connect-done")).toHaveTextContent(
      "Re-authorized Old Shop. No orders were duplicated.",
    );
    await waitFor(() => {
      const after = screen.getAllByTestId("channel-row");
      expect(after).toHaveLength(2);
      expect(after[1]).toHaveAttribute("data-status", "active");
    });
  });

  it("shows why re-authorizing could not start and tries again on request", async () => {
    backend.channelsList.mockResolvedValue([channelFixture({ id: 3, name: "Harbour Goods" })]);
    backend.channelReauthorize.mockRejectedValueOnce({
      code: "channel_unreachable",
      message: "Counterline couldn't reach Shopify. Check the internet connection.",
    });
    backend.channelReauthorize.mockResolvedValue({ attemptId: "attempt-3", authorizeUrl: "https://x.test/" });
    const app = renderApp("/channels");
    const row = await firstRow();

    await app.user.click(within(row).getByTestId("channel-menu"));
    await app.user.click(await screen.findByTestId("channel-reauthorize"));

    expect(await screen.findByTestId("connect-error")).toHaveTextContent("Counterline couldn't reach Shopify.");
    await app.user.click(screen.getByRole("button", { name: "Try again" }));
    expect(await screen.findByTestId("connect-waiting")).toHaveTextContent("We opened Shopify");
    expect(backend.channelReauthorize).toHaveBeenCalledTimes(2);
  });

  it("opens the browser once per Re-authorize, even when effects run twice", async () => {
    backend.channelsList.mockResolvedValue([channelFixture({ id: 3, name: "Harbour Goods" })]);
    backend.channelReauthorize.mockResolvedValue({ attemptId: "attempt-3", authorizeUrl: "https://x.test/" });
    const app = renderApp("/channels", { strict: true });
    const row = await firstRow();

    await app.user.click(within(row).getByTestId("channel-menu"));
    await app.user.click(await screen.findByTestId("channel-reauthorize"));

    expect(await screen.findByTestId("connect-waiting")).toHaveTextContent("We opened Shopify");
    expect(backend.channelReauthorize).toHaveBeenCalledTimes(1);
  });

  it("opens the channel's page from its name and from the row menu", async () => {
    backend.channelsList.mockResolvedValue([channelFixture({ id: 8, name: "Harbour Goods" })]);
    const app = renderApp("/channels");
    const row = await firstRow();

    await app.user.click(within(row).getByRole("link", { name: "Harbour Goods" }));
    expect(app.router.state.location.pathname).toBe("/channels/8");
    expect(await screen.findByTestId("channel-detail")).toBeInTheDocument();

    await app.user.click(screen.getByRole("link", { name: /Sales channels/ }));
    const again = await firstRow();
    await app.user.click(within(again).getByTestId("channel-menu"));
    await app.user.click(await screen.findByTestId("channel-open"));
    expect(app.router.state.location.pathname).toBe("/channels/8");
  });
});
