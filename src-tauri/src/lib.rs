//! The Counterline desktop shell: plugins, startup, deep links and the IPC
//! command table. Everything that isn't the window lives in the crates under
//! `src-tauri/crates/`; commands here are thin adapters onto them.

mod browser;
mod commands;
mod config;
mod deep_link;
mod demo;
pub mod error;
pub mod events;
mod state;
mod sync_runner;

use tauri::{Manager, RunEvent};
use tauri_plugin_deep_link::DeepLinkExt;

use crate::state::{AppState, CounterlineExt};

pub fn run() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("COUNTERLINE_LOG")
                .unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .init();

    let app = tauri::Builder::default()
        // First: a second launch (the OS handing us a callback URL) forwards
        // its arguments here and exits; the deep-link feature turns them
        // into the usual open-url event.
        .plugin(tauri_plugin_single_instance::init(|app, _argv, _cwd| {
            if let Some(window) = app.get_webview_window("main") {
                let _ = window.unminimize();
                let _ = window.set_focus();
            }
        }))
        .plugin(tauri_plugin_deep_link::init())
        .plugin(tauri_plugin_opener::init())
        .setup(|app| {
            let handle = app.handle().clone();
            let state = tauri::async_runtime::block_on(AppState::init(&handle))
                .map_err(|message| format!("Counterline could not start: {message}"))?;
            app.manage(state);

            #[cfg(any(target_os = "linux", all(debug_assertions, windows)))]
            if let Err(error) = app.deep_link().register_all() {
                // Not fatal: installed packages register the scheme themselves.
                tracing::warn!(%error, "could not register the deep-link scheme");
            }
            handle.counterline().engine.spawn_scheduler(sync_runner::SCHEDULER_TICK);
            handle.counterline().engine.spawn_pusher(Default::default(), sync_runner::PUSH_TICK);
            // RFM quintiles move as time passes: rescore everyone once per launch.
            let db = handle.counterline().db.clone();
            tauri::async_runtime::spawn(async move {
                if let Err(error) = counterline_loyalty::rfm::recompute_now(&db).await {
                    tracing::warn!(%error, "could not recompute RFM segments");
                }
            });
            let forwarded = handle.clone();
            app.deep_link().on_open_url(move |event| deep_link::handle(&forwarded, event.urls()));
            // Started by the OS with the callback URL and no running instance.
            if let Ok(Some(urls)) = app.deep_link().get_current() {
                deep_link::handle(&handle, urls);
            }
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::app::app_info,
            commands::channels::channels_list,
            commands::channels::shopify_connect_start,
            commands::channels::lightspeed_connect_start,
            commands::channels::bigcommerce_connect,
            commands::channels::woocommerce_connect_start,
            commands::channels::woocommerce_connect_keys,
            commands::channels::demo_connect,
            commands::channels::channel_sync,
            commands::channels::channel_set_paused,
            commands::channels::channel_disconnect,
            commands::channels::channel_reauthorize,
            commands::channels::channel_update_settings,
            commands::channels::channel_check,
            commands::orders::orders_page,
            commands::orders::orders_count,
            commands::orders::order_detail,
            commands::orders::order_set_status,
            commands::orders::order_ship,
            commands::orders::orders_export_csv,
            commands::locations::locations_list,
            commands::locations::location_save,
            commands::locations::stock_levels,
            commands::locations::stock_set,
            commands::outbox::order_fulfill,
            commands::outbox::outbox_entries,
            commands::outbox::outbox_resolve,
            commands::sync_log::sync_runs,
            commands::sync_log::sync_failures,
            commands::sync_log::sync_failure_retry,
            commands::members::members_list,
            commands::members::member_get,
            commands::members::member_orders,
            commands::members::member_create,
            commands::members::member_update,
            commands::members::member_delete,
            commands::members::member_adjust_credit,
            commands::members::members_import_preview,
            commands::members::members_import,
            commands::members::members_export,
            commands::members::unmatched_orders,
            commands::members::unmatched_summary,
            commands::loyalty::loyalty_settings_get,
            commands::loyalty::loyalty_settings_save,
            commands::loyalty::sku_categories_list,
            commands::loyalty::loyalty_categories,
            commands::loyalty::sku_category_set,
            commands::loyalty::sku_categories_import,
            commands::loyalty::rfm_recompute,
            commands::loyalty::loyalty_insights,
        ])
        .build(tauri::generate_context!())
        .expect("Counterline failed to build its window");

    app.run(|handle, event| {
        if let RunEvent::Exit = event {
            if let Some(state) = handle.try_state::<AppState>() {
                tauri::async_runtime::block_on(state.db.close());
            }
        }
    });
}
