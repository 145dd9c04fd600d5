// Lets any screen (the channel list, a channel's page, the empty orders list) open the one
// connect wizard, either for a new store or to re-authorize a connected one.

import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from "react";
import type { ChannelView } from "../../bindings/ChannelView";
import type { ConnectPlatform } from "./connect/platforms";
import { ConnectWizard } from "./ConnectWizard";
import { ReauthorizeWizard } from "./ReauthorizeWizard";

type ConnectWizardControls = {
  /** Opens the platform picker, or a platform's steps straight away. */
  openConnectWizard: (platform?: ConnectPlatform) => void;
  /** Starts a fresh browser sign-in for the channel's own store, shown in the wizard. */
  reauthorizeChannel: (channel: ChannelView) => void;
};

type WizardSession = {
  id: number;
  reauthorize: ChannelView | null;
  platform: ConnectPlatform | null;
};

const ConnectWizardContext = createContext<ConnectWizardControls | null>(null);

export function ConnectWizardProvider({ children }: { children: ReactNode }) {
  const [opened, setOpened] = useState(false);
  // A new id per opening gives every attempt a fresh wizard instead of the last one's leftovers
  // (an old error, a finished step).
  const [session, setSession] = useState<WizardSession>({ id: 0, reauthorize: null, platform: null });
  const openConnectWizard = useCallback((platform?: ConnectPlatform) => {
    setSession((last) => ({ id: last.id + 1, reauthorize: null, platform: platform ?? null }));
    setOpened(true);
  }, []);
  const reauthorizeChannel = useCallback((channel: ChannelView) => {
    setSession((last) => ({ id: last.id + 1, reauthorize: channel, platform: null }));
    setOpened(true);
  }, []);
  const controls = useMemo(
    () => ({ openConnectWizard, reauthorizeChannel }),
    [openConnectWizard, reauthorizeChannel],
  );
  const close = useCallback(() => setOpened(false), []);

  return (
    <ConnectWizardContext.Provider value={controls}>
      {children}
      {session.reauthorize ? (
        <ReauthorizeWizard
          key={session.id}
          channel={session.reauthorize}
          opened={opened}
          onClose={close}
        />
      ) : (
        <ConnectWizard
          key={session.id}
          opened={opened}
          onClose={close}
          initialPlatform={session.platform}
        />
      )}
    </ConnectWizardContext.Provider>
  );
}

export function useConnectWizard(): ConnectWizardControls {
  const controls = useContext(ConnectWizardContext);
  if (!controls) throw new Error("useConnectWizard needs a ConnectWizardProvider above it");
  return controls;
}
