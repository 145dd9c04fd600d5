export type ErrorCode = "keychain_unavailable" | "invalid_input" | "callback_rejected" | "channel_unreachable" | "channel_auth" | "channel_response" | "not_found" | "database" | "internal";
