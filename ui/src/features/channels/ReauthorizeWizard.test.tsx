import { act, screen, waitFor, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import * as backend from "../../lib/__mocks__/backend";
import { channelFixture } from "../../test/fixtures";
import { renderApp } from "../../test/renderApp";
import { clearSyncProgress } from "./syncProgress";

vi.mock("../../lib/backend");

const bigcommerceChannel = channelFixture({
  id: 11,
  platform: "bigcommerce",
  name: "Harbour Goods BC",
  account: "abc123",
  status: "error",
  statusDetail: "BigCommerce refused the access token.",
});

const xseriesChannel = channelFixture({ id: 21, platform: "xseries", name: "Harbour Goods POS", account: "harbourgoods" });

/** Opens Re-authorize from the only channel row's menu. */
async function reauthorizeFromMenu() {
  const app = renderApp("/channels");
  const [row] = await screen.findAllByTestId("channel-row");
  await app.user.click(within(row!).getByTestId("channel-menu"));
  await app.user.click(await screen.findByTestId("channel-reauthorize"));
  return app;
}

describe("Re-authorize", () => {
  beforeEach(() => {
    backend.resetFakeBackend();
    clearSyncProgress();
  });

  it("asks a BigCommerce channel for a new token for its own store instead of a browser sign-in", async () => {
    backend.channelsList.mockResolvedValue([bigcommerceChannel]);
    const repaired = { ...bigcommerceChannel, status: "active" as const, statusDetail: null };
    backend.bigcommerceConnect.mockImplementation(async () => {
      backend.channelsList.mockResolvedValue([repaired]);
      return repaired;
    });
    const app = await reauthorizeFromMenu();

    const storeHash = await screen.findByTestId("bc-store-hash");
    expect(storeHash, "the store is the channel's own").toHaveValue("abc123");
    expect(storeHash, "and can't be changed to another store").toHaveAttribute("readonly");
    expect(screen.getByTestId("bc-reauthorize")).toHaveTextContent("needs a new access token for abc123");
    expect(backend.channelReauthorize, "BigCommerce has no browser sign-in to start").not.toHaveBeenCalled();
    expect(screen.queryByTestId("connect-error"), "the backend's refusal is never shown").not.toBeInTheDocument();
    expect(screen.queryByTestId("connect-waiting")).not.toBeInTheDocument();

    await app.user.type(screen.getByTestId("bc-access-token"), " new-token ");
    await app.user.click(screen.getByTestId("bc-connect"));

    expect(backend.bigcommerceConnect, "the existing connect command updates the same channel").toHaveBeenCalledWith(
      "abc123",
      "new-token",
    );
    expect(await screen.findByTestId("connect-done")).toHaveTextContent(
      "Re-authorized Harbour Goods BC. No orders were duplicated.",
    );
    await waitFor(() => {
      const rows = screen.getAllByTestId("channel-row");
      expect(rows, "still one channel, not a second one").toHaveLength(1);
      expect(rows[0]).toHaveAttribute("data-status", "active");
    });
  });

  it("keeps the BigCommerce token form open with BigCommerce's refusal of the new token", async () => {
    backend.channelsList.mockResolvedValue([bigcommerceChannel]);
    backend.bigcommerceConnect.mockRejectedValue({
      code: "channel_auth",
      message: "BigCommerce refused the access token. Check that you copied all of it.",
    });
    const app = await reauthorizeFromMenu();

    await app.user.type(await screen.findByTestId("bc-access-token"), "wrong");
    await app.user.click(screen.getByTestId("bc-connect"));

    const error = await screen.findByTestId("connect-error");
    expect(error).toHaveTextContent("BigCommerce wasn't re-authorized");
    expect(error).toHaveTextContent("BigCommerce refused the access token. Check that you copied all of it.");
    expect(screen.getByTestId("bc-access-token"), "the merchant can paste again").toBeVisible();
    expect(screen.queryByTestId("connect-done")).not.toBeInTheDocument();
  });

  it("re-authorizes an X-Series channel in the browser like Shopify", async () => {
    backend.channelsList.mockResolvedValue([xseriesChannel]);
    backend.channelReauthorize.mockResolvedValue({ attemptId: "re-21", authorizeUrl: "https://x.test/connect" });
    await reauthorizeFromMenu();

    const waiting = await screen.findByTestId("connect-waiting");
    expect(waiting, "the platform is named in the wait").toHaveTextContent("We opened Lightspeed X-Series in your browser.");
    expect(screen.getByRole("dialog")).toHaveTextContent("choose harbourgoods again");
    expect(backend.channelReauthorize).toHaveBeenCalledWith(21);
    expect(screen.queryByTestId("bc-access-token"), "no token is asked for").not.toBeInTheDocument();

    act(() => backend.emitConnectOutcome({ attemptId: "re-21", channel: xseriesChannel, error: null }));
    expect(await screen.findByTestId("connect-done")).toHaveTextContent(
      "Re-authorized Harbour Goods POS. No orders were duplicated.",
    );
  });
});
