import { useQuery } from "@tanstack/react-query";
import { appInfo } from "../../lib/backend";
import { appInfoKey } from "../../lib/queryKeys";

/** Facts about this installation that do not change while the app runs. */
export function useAppInfo() {
  return useQuery({ queryKey: appInfoKey, queryFn: appInfo, staleTime: Infinity });
}
