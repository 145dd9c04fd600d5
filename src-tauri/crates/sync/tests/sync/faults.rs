//! The pull under the sandbox's fault profile: 5xx answers, answers held
//! back, bodies cut off mid-JSON, bursts of 429s and access tokens expiring
//! mid-walk (so rotating refresh tokens are used). However often it is hit,
//! the pull ends with exactly the platform's data.

use std::time::Duration;

use counterline_sandbox::FaultProfile;
use counterline_store::model::{ChannelStatus, Platform};
use counterline_sync::pull_orders;

use crate::lightspeed::{lightspeed, rseries_truth, xseries_truth};

fn rough_weather() -> FaultProfile {
    FaultProfile {
        seed: 11,
        server_error: 0.08,
        timeout: 0.05,
        truncate: 0.08,
        burst429: 0.08,
        expire: 0.08,
        timeout_delay: Duration::from_millis(300),
        burst_len: 2..=3,
        retry_after: Duration::from_millis(200),
    }
}

#[tokio::test]
async fn a_pull_through_every_kind_of_fault_stores_exactly_the_platforms_sales() {
    for platform in [Platform::RSeries, Platform::XSeries] {
        let f = lightspeed(2_000).await;
        let channel = f.connect(platform).await;
        let source = f.connector.source(&channel).await.unwrap();
        f.sandbox.set_faults(rough_weather());
        let summary = pull_orders(&f.db, channel.id, &source, |_| {}).await.expect("the pull rides out every fault");
        let faults = f.sandbox.faults_injected();
        f.sandbox.set_faults(FaultProfile::default());
        let expected = match platform {
            Platform::RSeries => rseries_truth(&f.sandbox),
            _ => xseries_truth(&f.sandbox),
        };
        assert_eq!(summary.stats.inserted as usize, expected.len(), "{platform:?}: each sale stored once");
        assert_eq!(f.stored().await, expected, "{platform:?}: ids, totals, states, emails and currency exact");
        assert!(summary.requests > summary.pages, "{platform:?}: some requests were retried ({summary:?})");
        for (kind, count) in [
            ("5xx", faults.server_errors),
            ("held answers", faults.timeouts),
            ("cut-off bodies", faults.truncations),
            ("429 bursts", faults.bursts),
            ("expired tokens", faults.expiries),
        ] {
            assert!(count > 0, "{platform:?}: the profile really injected {kind} ({faults:?})");
        }
        assert_eq!(f.status(channel.id).await, ChannelStatus::Active, "{platform:?}: transient faults never put the channel in Error");
    }
}
