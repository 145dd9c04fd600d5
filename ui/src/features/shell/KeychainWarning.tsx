import { Alert } from "@mantine/core";
import { IconLockOff } from "@tabler/icons-react";
import { useAppInfo } from "./useAppInfo";

/** Without a keychain Counterline refuses to store tokens at all, so connecting cannot work. */
export function KeychainWarning() {
  const info = useAppInfo().data;
  if (!info || info.keychainAvailable) return null;
  return (
    <Alert
      data-testid="keychain-warning"
      color="orange"
      variant="light"
      icon={<IconLockOff />}
      title="No system keychain"
      mb="md"
    >
      No system keychain is available, so Counterline can't store channel passwords. Install or
      unlock a keyring (e.g. GNOME Keyring) and restart.
    </Alert>
  );
}
