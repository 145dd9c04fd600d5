import { act, screen, waitFor, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import * as backend from "../../../lib/__mocks__/backend";
import { channelFixture } from "../../../test/fixtures";
import { renderApp } from "../../../test/renderApp";
import { clearSyncProgress } from "../syncProgress";

vi.mock("../../../lib/backend");

const started = { attemptId: "ls-1", authorizeUrl: "https://secure.retail.lightspeed.app/connect?state=abc" };

const xseriesChannel = channelFixture({
  id: 21,
  platform: "xseries",
  name: "Harbour Goods POS",
  account: "harbourgoods",
});

/** Opens the X-Series steps from the empty channel list of an installation that can connect it. */
async function openXSeries() {
  const app = renderApp("/channels");
  await app.user.click(await screen.findByTestId("connect-xseries"));
  await screen.findByTestId("lightspeed-intro");
  return app;
}

async function continueToLightspeed(app: Awaited<ReturnType<typeof openXSeries>>) {
  await app.user.click(screen.getByTestId("lightspeed-continue"));
  return screen.findByTestId("lightspeed-waiting");
}

describe("Lightspeed connect steps", () => {
  beforeEach(() => {
    backend.resetFakeBackend();
    clearSyncProgress();
    backend.appInfo.mockResolvedValue({
      ...backend.defaultAppInfo,
      connectablePlatforms: ["shopify", "bigcommerce", "woocommerce", "xseries", "rseries"],
    });
    backend.lightspeedConnectStart.mockResolvedValue(started);
  });

  it("says what will happen and asks for no store address before opening the browser", async () => {
    await openXSeries();
    const intro = screen.getByTestId("lightspeed-intro");

    expect(intro, "the merchant learns where the sign-in happens").toHaveTextContent(
      "Counterline opens the Lightspeed X-Series sign-in page in your browser.",
    );
    expect(intro, "the store is chosen on Lightspeed's page").toHaveTextContent("Sign in to Lightspeed and choose your store.");
    expect(intro, "the access asked for is named").toHaveTextContent(
      "Approve Counterline's request to read your sales, customers and products.",
    );
    expect(intro).toHaveTextContent("Come back here.");
    expect(within(screen.getByRole("dialog")).queryByRole("textbox"), "there is nothing to type").not.toBeInTheDocument();
    expect(backend.lightspeedConnectStart, "the browser waits for the merchant's go").not.toHaveBeenCalled();
  });

  it("starts the sign-in, waits for the browser, then finishes on this attempt's approval", async () => {
    const app = await openXSeries();
    const waiting = await continueToLightspeed(app);

    expect(backend.lightspeedConnectStart).toHaveBeenCalledWith("xseries");
    expect(waiting).toHaveTextContent("Waiting for you to approve in your browser…");
    expect(within(waiting).getByTestId("connect-waiting"), "the shared waiting step is reused").toBeVisible();
    expect(within(waiting).getByTestId("lightspeed-open-again")).toHaveTextContent("Open the page again");
    expect(within(waiting).getByRole("button", { name: "Cancel" })).toBeVisible();

    act(() => backend.emitConnectOutcome({ attemptId: "someone-else", channel: channelFixture({ id: 99 }), error: null }));
    expect(screen.getByTestId("lightspeed-waiting"), "another attempt's approval is not this one's").toBeInTheDocument();

    backend.channelsList.mockResolvedValue([xseriesChannel]);
    act(() => backend.emitConnectOutcome({ attemptId: "ls-1", channel: xseriesChannel, error: null }));

    const done = await screen.findByTestId("connect-done");
    expect(done).toHaveTextContent("Connected Harbour Goods POS. Importing your order history…");
    expect(screen.queryByTestId("lightspeed-waiting")).not.toBeInTheDocument();
    expect(await screen.findByTestId("channel-row"), "the list behind the wizard shows it").toHaveAttribute(
      "data-channel-id",
      "21",
    );

    await app.user.click(screen.getByTestId("connect-save"));
    await waitFor(() => expect(app.router.state.location.pathname).toBe("/orders"));
  });

  it("shows a refused approval in plain words and starts a fresh sign-in on Try again", async () => {
    const app = await openXSeries();
    await continueToLightspeed(app);

    act(() =>
      backend.emitConnectOutcome({
        attemptId: "ls-1",
        channel: null,
        error: { code: "channel_auth", message: "Lightspeed said the sign-in was cancelled. Nothing was saved." },
      }),
    );

    const error = await screen.findByTestId("connect-error");
    expect(error, "the backend's sentence is shown as is").toHaveTextContent(
      "Lightspeed said the sign-in was cancelled. Nothing was saved.",
    );
    expect(error).toHaveTextContent("Lightspeed X-Series wasn't connected");
    expect(screen.queryByTestId("connect-done")).not.toBeInTheDocument();

    backend.lightspeedConnectStart.mockResolvedValue({ attemptId: "ls-2", authorizeUrl: started.authorizeUrl });
    await app.user.click(screen.getByRole("button", { name: "Try again" }));

    expect(await screen.findByTestId("lightspeed-waiting"), "Try again opens the browser again").toBeVisible();
    expect(backend.lightspeedConnectStart).toHaveBeenCalledTimes(2);
    act(() => backend.emitConnectOutcome({ attemptId: "ls-2", channel: xseriesChannel, error: null }));
    expect(await screen.findByTestId("connect-done"), "the new attempt can finish").toBeVisible();
  });

  it("says why the sign-in could not start", async () => {
    backend.lightspeedConnectStart.mockRejectedValue({
      code: "invalid_input",
      message: "Counterline has no app registration for Lightspeed X-Series on this computer.",
    });
    const app = await openXSeries();
    await app.user.click(screen.getByTestId("lightspeed-continue"));

    expect(await screen.findByTestId("connect-error")).toHaveTextContent(
      "Counterline has no app registration for Lightspeed X-Series on this computer.",
    );
    expect(screen.queryByTestId("lightspeed-waiting"), "nothing is waited for").not.toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Try again" })).toBeVisible();
  });

  it("shows the page's address to copy when the merchant lost the browser tab", async () => {
    const app = await openXSeries();
    await continueToLightspeed(app);

    await app.user.click(screen.getByTestId("lightspeed-open-again"));

    expect(screen.getByText(started.authorizeUrl), "the address can be opened by hand").toBeVisible();
    expect(screen.getByRole("button", { name: "Copy" })).toBeVisible();
    expect(backend.lightspeedConnectStart, "no second attempt is started").toHaveBeenCalledTimes(1);
  });

  it("closes the wizard when the merchant cancels the wait", async () => {
    const app = await openXSeries();
    await continueToLightspeed(app);

    await app.user.click(within(screen.getByTestId("lightspeed-waiting")).getByRole("button", { name: "Cancel" }));

    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
  });
});
