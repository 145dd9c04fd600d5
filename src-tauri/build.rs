fn main() {
    // App commands are declared so capabilities can grant them one by one
    // (least privilege); a command missing here cannot be invoked at all.
    let commands = &["app_info", "channels_list", "shopify_connect_start", "channel_sync", "orders_page"];
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(commands)),
    )
    .expect("tauri-build failed");
}
