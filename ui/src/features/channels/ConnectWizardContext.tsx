// Lets any screen (the channel list, the empty orders list) open the one connect wizard.

import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from "react";
import { ConnectShopifyWizard } from "./ConnectShopifyWizard";

type ConnectWizardControls = { openConnectWizard: () => void };

const ConnectWizardContext = createContext<ConnectWizardControls | null>(null);

export function ConnectWizardProvider({ children }: { children: ReactNode }) {
  const [opened, setOpened] = useState(false);
  // A new key per opening gives every connect attempt a fresh wizard instead of the last one's
  // leftovers (an old error, a finished step).
  const [session, setSession] = useState(0);
  const openConnectWizard = useCallback(() => {
    setSession((value) => value + 1);
    setOpened(true);
  }, []);
  const controls = useMemo(() => ({ openConnectWizard }), [openConnectWizard]);

  return (
    <ConnectWizardContext.Provider value={controls}>
      {children}
      <ConnectShopifyWizard key={session} opened={opened} onClose={() => setOpened(false)} />
    </ConnectWizardContext.Provider>
  );
}

export function useConnectWizard(): ConnectWizardControls {
  const controls = useContext(ConnectWizardContext);
  if (!controls) throw new Error("useConnectWizard needs a ConnectWizardProvider above it");
  return controls;
}
