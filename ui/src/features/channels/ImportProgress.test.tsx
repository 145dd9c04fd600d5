import { act, render, screen } from "@testing-library/react";
import { MantineProvider } from "@mantine/core";
import { beforeEach, describe, expect, it } from "vitest";
import { ImportProgress } from "./ImportProgress";
import { clearSyncProgress, recordSyncProgress } from "./syncProgress";

function renderProgress() {
  render(
    <MantineProvider>
      <ImportProgress channelId={5} />
    </MantineProvider>,
  );
  return screen.getByTestId("connect-import-progress");
}

describe("ImportProgress", () => {
  beforeEach(() => clearSyncProgress());

  it("fills the bar and estimates the time left when the platform reports the import's length", () => {
    const progress = renderProgress();
    act(() =>
      recordSyncProgress({ channelId: 5, pages: 25, orders: 2500, newOrders: 2500, updatedOrders: 0, done: false, expectedPages: 100, etaMs: 180_000, error: null }),
    );
    expect(progress, "the bar knows the length").toHaveAttribute("data-expected-pages", "100");
    expect(screen.getByRole("progressbar"), "a quarter of the pages are in").toHaveAttribute("aria-valuenow", "25");
    expect(progress).toHaveTextContent("2,500 orders so far, page 25 of 100. About 3 minutes left.");
  });

  it("counts orders under a moving bar when the length is unknown", () => {
    const progress = renderProgress();
    act(() =>
      recordSyncProgress({ channelId: 5, pages: 3, orders: 60, newOrders: 60, updatedOrders: 0, done: false, expectedPages: null, etaMs: null, error: null }),
    );
    expect(progress).toHaveTextContent("60 orders so far…");
    expect(progress, "no time is promised without a length").not.toHaveTextContent("left");
  });
});
