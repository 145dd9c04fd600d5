import { screen, waitFor, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import * as backend from "../../lib/__mocks__/backend";
import { channelFixture, healthFixture, settingsFixture } from "../../test/fixtures";
import { renderApp } from "../../test/renderApp";

vi.mock("../../lib/backend");

describe("ChannelDetailPage", () => {
  beforeEach(() => backend.resetFakeBackend());

  it("shows the channel's name, platform and status with its settings and troubleshooting", async () => {
    backend.channelsList.mockResolvedValue([channelFixture({ id: 3, name: "Harbour Goods", status: "paused" })]);
    renderApp("/channels/3");

    expect(await screen.findByRole("heading", { name: "Harbour Goods" })).toBeInTheDocument();
    const page = screen.getByTestId("channel-detail");
    expect(page).toHaveTextContent("Shopify");
    expect(page).toHaveTextContent("Paused");
    expect(within(page).getByTestId("channel-settings-form")).toBeInTheDocument();
    expect(within(page).getByTestId("channel-troubleshooting")).toBeInTheDocument();
    expect(within(page).getByTestId("channel-sync-toggle")).not.toBeChecked();
  });

  it("says so when the channel is not connected (any more)", async () => {
    backend.channelsList.mockResolvedValue([channelFixture({ id: 3 })]);
    renderApp("/channels/99");
    expect(await screen.findByText("This channel isn't connected")).toBeInTheDocument();
  });

  it("leaves for the channel list after disconnecting from the channel's page", async () => {
    backend.channelsList.mockResolvedValue([channelFixture({ id: 3, name: "Harbour Goods" })]);
    const app = renderApp("/channels/3");
    await screen.findByTestId("channel-settings-form");

    await app.user.click(screen.getByTestId("channel-menu"));
    expect(screen.queryByTestId("channel-open")).not.toBeInTheDocument();
    backend.channelsList.mockResolvedValue([]);
    await app.user.click(await screen.findByTestId("channel-disconnect"));
    await app.user.click(await screen.findByTestId("confirm-disconnect"));

    expect(backend.channelDisconnect).toHaveBeenCalledWith(3);
    await waitFor(() => expect(app.router.state.location.pathname).toBe("/channels"));
  });
});

describe("Channel settings form", () => {
  beforeEach(() => backend.resetFakeBackend());

  it("rejects an invalid order number prefix without asking the backend", async () => {
    backend.channelsList.mockResolvedValue([channelFixture({ id: 3 })]);
    const app = renderApp("/channels/3");
    const prefix = await screen.findByTestId("order-prefix");

    await app.user.type(prefix, "SHOP #");
    expect(await screen.findByText("Use only letters, digits, - or _ (no spaces or other symbols).")).toBeInTheDocument();
    expect(prefix).toHaveAttribute("aria-invalid", "true");
    await app.user.click(screen.getByTestId("save-channel-settings"));
    expect(backend.channelUpdateSettings).not.toHaveBeenCalled();
    expect(prefix).toHaveFocus();

    await app.user.clear(prefix);
    await app.user.type(prefix, "HARBOURGOODS-");
    expect(await screen.findByText(/Keep it to 12 characters or fewer \(this one has 13\)/)).toBeInTheDocument();
    await app.user.click(screen.getByTestId("save-channel-settings"));
    expect(backend.channelUpdateSettings).not.toHaveBeenCalled();
  });

  it("sends valid settings, trimmed, and shows that they were saved", async () => {
    const channel = channelFixture({ id: 3, name: "Harbour Goods" });
    backend.channelsList.mockResolvedValue([channel]);
    const saved = settingsFixture({
      syncDirection: "two_way",
      autoSyncMinutes: 15,
      priceList: "Wholesale",
      warehouse: null,
      orderPrefix: "SHOP-",
    });
    backend.channelUpdateSettings.mockResolvedValue({ ...channel, settings: saved });
    const app = renderApp("/channels/3");
    const form = await screen.findByTestId("channel-settings-form");
    const save = screen.getByTestId("save-channel-settings");
    expect(save).toBeDisabled();

    await app.user.click(within(form).getByRole("radio", { name: "Two-way" }));
    expect(form).toHaveTextContent("Orders come in, and the status changes and shipments you make in Counterline go back to the store.");
    await app.user.click(within(form).getByRole("combobox", { name: "Auto-sync" }));
    await app.user.click(await screen.findByRole("option", { name: "Every 15 minutes" }));
    await app.user.type(within(form).getByRole("textbox", { name: "Price list" }), "  Wholesale ");
    await app.user.type(screen.getByTestId("order-prefix"), "SHOP-");
    expect(form).toHaveTextContent("Order 1001 will show as SHOP-1001.");

    await app.user.click(save);

    expect(backend.channelUpdateSettings).toHaveBeenCalledWith(3, saved);
    expect(await screen.findByText("Settings saved")).toBeInTheDocument();
    await waitFor(() => expect(screen.getByTestId("save-channel-settings")).toBeDisabled());
  });

  it("shows the backend's refusal next to the form", async () => {
    backend.channelsList.mockResolvedValue([channelFixture({ id: 3 })]);
    backend.channelUpdateSettings.mockRejectedValue({
      code: "invalid_input",
      message: "The order number prefix can have up to 12 letters, digits, - or _.",
    });
    const app = renderApp("/channels/3");
    await app.user.type(await screen.findByTestId("order-prefix"), "WEB");
    await app.user.click(screen.getByTestId("save-channel-settings"));

    expect(await screen.findByTestId("channel-settings-error")).toHaveTextContent(
      "The order number prefix can have up to 12 letters, digits, - or _.",
    );
  });
});

describe("Channel troubleshooting", () => {
  beforeEach(() => backend.resetFakeBackend());

  it("shows a failed check's message in red with the facts the check reported", async () => {
    backend.channelsList.mockResolvedValue([channelFixture({ id: 3 })]);
    backend.channelCheck.mockResolvedValue(healthFixture({ channelId: 3 }));
    const app = renderApp("/channels/3");
    const panel = await screen.findByTestId("channel-troubleshooting");
    expect(await within(panel).findByText("The connection works")).toBeInTheDocument();
    expect(within(panel).getByTestId("channel-last-error")).toHaveTextContent("None");

    backend.channelCheck.mockResolvedValue(
      healthFixture({
        channelId: 3,
        credentialsOk: false,
        message: "Shopify rejected the saved access token. Re-authorize the channel.",
        lastError: "Shopify answered 401 Unauthorized while reading orders.",
        ordersWithoutEmail: 12,
        ordersUnmatched: 15,
      }),
    );
    await app.user.click(within(panel).getByTestId("channel-check"));

    const result = await within(panel).findByText("The connection doesn't work");
    const alert = result.closest("[data-testid='channel-check-result']")!;
    expect(alert).toHaveAttribute("data-ok", "false");
    expect(alert).toHaveTextContent("Shopify rejected the saved access token. Re-authorize the channel.");
    expect(within(panel).getByTestId("channel-last-error")).toHaveTextContent(
      "Shopify answered 401 Unauthorized while reading orders.",
    );
    expect(within(panel).getByTestId("channel-orders-without-email")).toHaveTextContent(
      "15 orders can't be matched to a member (12 orders without an email)",
    );
    expect(within(panel).getByTestId("channel-unmatched-link")).toHaveAttribute("href", "/members/unmatched?channel=3");
    expect(backend.channelCheck).toHaveBeenCalledTimes(2);
    expect(backend.channelCheck).toHaveBeenLastCalledWith(3);
  });

  it("shows why the test itself could not run", async () => {
    backend.channelsList.mockResolvedValue([channelFixture({ id: 3 })]);
    backend.channelCheck.mockRejectedValue({ code: "keychain_unavailable", message: "The system keychain is locked." });
    renderApp("/channels/3");

    const panel = await screen.findByTestId("channel-troubleshooting");
    expect(await within(panel).findByTestId("channel-check-result")).toHaveTextContent("The system keychain is locked.");
    expect(within(panel).getByTestId("channel-last-error")).toHaveTextContent("Unknown");
  });
});
