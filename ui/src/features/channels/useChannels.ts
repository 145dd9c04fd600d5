import { useQuery } from "@tanstack/react-query";
import { channelsList } from "../../lib/backend";
import { channelsKey } from "../../lib/queryKeys";

export function useChannels() {
  return useQuery({ queryKey: channelsKey, queryFn: channelsList });
}
