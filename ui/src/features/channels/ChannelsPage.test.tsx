import { act, screen, waitFor, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import * as backend from "../../lib/__mocks__/backend";
import { channelFixture } from "../../test/fixtures";
import { renderApp } from "../../test/renderApp";

vi.mock("../../lib/backend");

describe("ChannelsPage", () => {
  beforeEach(() => backend.resetFakeBackend());

  it("explains what a sales channel is when none is connected yet", async () => {
    renderApp("/channels");
    expect(await screen.findByText(/A sales channel is a place you sell/)).toBeInTheDocument();
    const connectButtons = screen.getAllByTestId("connect-shopify");
    expect(connectButtons[0]).toBeVisible();
    expect(connectButtons.map((button) => button.textContent)).toContain("Connect Shopify");
    expect(screen.getByTestId("connect-bigcommerce")).toHaveTextContent("Connect BigCommerce");
    expect(screen.getByTestId("connect-woocommerce")).toHaveTextContent("Connect WooCommerce");
  });

  it("lists each channel with its status and health detail", async () => {
    backend.channelsList.mockResolvedValue([
      channelFixture({ id: 1, name: "Harbour Goods", status: "active", orderCount: 1250 }),
      channelFixture({ id: 2, name: "Old Shop", status: "error", statusDetail: "Shopify revoked Counterline's access." }),
    ]);
    renderApp("/channels");

    const rows = await screen.findAllByTestId("channel-row");
    expect(rows).toHaveLength(2);
    expect(rows[0]).toHaveAttribute("data-status", "active");
    expect(rows[0]).toHaveAttribute("data-channel-id", "1");
    expect(rows[0]).toHaveTextContent("Active");
    expect(rows[0]).toHaveTextContent("1,250");
    expect(rows[1]).toHaveAttribute("data-status", "error");
    expect(rows[1]).toHaveTextContent("Error");
    expect(rows[1]).toHaveTextContent("Shopify revoked Counterline's access.");
    expect(screen.getByTestId("connect-channel")).toHaveTextContent("Connect a channel");
  });

  it("starts a sync of that channel when Sync now is pressed", async () => {
    backend.channelsList.mockResolvedValue([channelFixture({ id: 9 })]);
    const app = renderApp("/channels");
    const [row] = await screen.findAllByTestId("channel-row");

    await app.user.click(within(row!).getByRole("button", { name: "Sync now" }));
    expect(backend.channelSync).toHaveBeenCalledWith(9);
  });

  it("shows the backend's message when the channel list cannot be read", async () => {
    backend.channelsList.mockRejectedValue({ code: "database", message: "The database file is damaged." });
    renderApp("/channels");
    expect(await screen.findByText("The database file is damaged.")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Retry" })).toBeInTheDocument();
  });
});

describe("ChannelsPage after a sign-in", () => {
  beforeEach(() => backend.resetFakeBackend());

  it("lists a channel as soon as its sign-in comes back, even with the wizard closed", async () => {
    renderApp("/channels");
    await screen.findByText(/A sales channel is a place you sell/);
    await waitFor(() => expect(backend.listenerCount().connect).toBeGreaterThan(0));

    const channel = channelFixture({ id: 5, name: "Late Approval" });
    backend.channelsList.mockResolvedValue([channel]);
    act(() => backend.emitConnectOutcome({ attemptId: "attempt-9", channel, error: null }));

    const [row] = await screen.findAllByTestId("channel-row");
    expect(row).toHaveTextContent("Late Approval");
  });
});
