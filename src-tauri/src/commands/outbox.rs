//! Changes the merchant makes to orders, queued for their channels: set a
//! status, see what hasn't been delivered, settle conflicts.

use tauri::AppHandle;

use counterline_store::model::ChannelView;
use counterline_store::outbox::{self, OutboxEntry};
use counterline_store::{channels, orders};

use crate::error::{ErrorCode, IpcError};
use crate::state::CounterlineExt;

/// Marks an order shipped with its carrier and tracking number, queued for
/// its channel like a status change.
#[tauri::command]
pub async fn order_fulfill(
    app: AppHandle,
    order_id: i64,
    carrier: String,
    tracking_number: String,
    tracking_url: Option<String>,
) -> Result<(), IpcError> {
    if carrier.trim().is_empty() || tracking_number.trim().is_empty() {
        return Err(IpcError::new(ErrorCode::InvalidInput, "Enter the carrier and the tracking number."));
    }
    if let Some(url) = tracking_url.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
        if !url::Url::parse(url).is_ok_and(|u| matches!(u.scheme(), "https" | "http")) {
            return Err(IpcError::new(ErrorCode::InvalidInput, "The tracking link must be a web address (https://…)."));
        }
    }
    let state = app.counterline();
    let mut tx = state.db.begin().await?;
    let channel_id = orders::channel_of(&mut tx, order_id).await?;
    let channel = channels::get(&mut tx, channel_id).await?;
    if !channel.platform.accepts_fulfillment_writes() {
        return Err(IpcError::new(
            ErrorCode::InvalidInput,
            format!("Counterline can't send tracking numbers to {} yet.", channel.platform.display_name()),
        ));
    }
    refuse_pull_only(&channel)?;
    outbox::fulfill(&mut tx, order_id, &carrier, &tracking_number, tracking_url.as_deref()).await?;
    tx.commit().await.map_err(counterline_store::Error::from)?;
    Ok(())
}

fn refuse_pull_only(channel: &ChannelView) -> Result<(), IpcError> {
    if channel.settings.sync_direction.pushes() {
        return Ok(());
    }
    Err(IpcError::new(
        ErrorCode::InvalidInput,
        format!("{} is set to pull only. Turn on two-way sync in its settings to send changes.", channel.name),
    ))
}

/// Changes not yet confirmed by their channel: pending, conflicts, failures.
#[tauri::command]
pub async fn outbox_entries(app: AppHandle, channel_id: Option<i64>) -> Result<Vec<OutboxEntry>, IpcError> {
    Ok(outbox::open_entries(&mut *app.counterline().db.conn().await?, channel_id).await?)
}

/// The merchant's answer to a conflict or failure: send ours anyway, or keep
/// the channel's version (the next sync brings it back).
#[tauri::command]
pub async fn outbox_resolve(app: AppHandle, id: i64, send_anyway: bool) -> Result<(), IpcError> {
    let state = app.counterline();
    let item = outbox::get(&mut *state.db.conn().await?, id).await?;
    // "Send anyway" builds on the remote order as it is now.
    let remote = match send_anyway {
        true => {
            let channel = channels::get(&mut *state.db.conn().await?, item.channel_id).await?;
            Some(state.connector.source(&channel).await?.remote_order(&item.external_id).await?.updated_at)
        }
        false => None,
    };
    outbox::resolve(&mut *state.db.conn().await?, id, send_anyway, remote).await?;
    if !send_anyway {
        state.engine.start(item.channel_id, counterline_sync::engine::Trigger::Manual);
    }
    Ok(())
}
