// Where the app opens: onboarding on a first launch (no channels, onboarding neither finished nor
// skipped), the channel list otherwise.

import { Center, Loader } from "@mantine/core";
import { Navigate } from "react-router";
import { useChannels } from "../channels/useChannels";
import { readOnboarding, welcomePath } from "./onboardingState";

export function StartPage() {
  const settled = readOnboarding() !== null;
  const channels = useChannels();
  if (settled) return <Navigate to="/channels" replace />;
  if (channels.isPending) {
    return (
      <Center mt="xl">
        <Loader aria-label="Opening Counterline" />
      </Center>
    );
  }
  // A channel list that can't be read is explained on the Channels page, not papered over here.
  const firstLaunch = channels.isSuccess && channels.data.length === 0;
  return <Navigate to={firstLaunch ? welcomePath : "/channels"} replace />;
}
