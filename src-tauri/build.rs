fn main() {
    // App commands are declared so capabilities can grant them one by one
    // (least privilege); a command missing here cannot be invoked at all.
    let commands = &[
        "app_info",
        "channels_list",
        "shopify_connect_start",
        "lightspeed_connect_start",
        "bigcommerce_connect",
        "woocommerce_connect_start",
        "woocommerce_connect_keys",
        "demo_connect",
        "channel_sync",
        "channel_set_paused",
        "channel_disconnect",
        "channel_reauthorize",
        "channel_update_settings",
        "channel_check",
        "orders_page",
        "order_set_status",
        "order_fulfill",
        "outbox_entries",
        "outbox_resolve",
        "sync_runs",
        "sync_failures",
        "sync_failure_retry",
    ];
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(commands)),
    )
    .expect("tauri-build failed");
}
