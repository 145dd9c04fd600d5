//! `counterline-sandbox`: runs the platform sandbox until Ctrl-C.
//!
//! Prints the base URL alone on the first line of stdout (easy to capture
//! from a script); details go to stderr.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::process::ExitCode;

use counterline_sandbox::{FaultProfile, Sandbox, SandboxConfig, SandboxError, ShopifyApp};

const USAGE: &str = "usage: counterline-sandbox [--port N] [--host IP] [--orders N] [--seed N]
                           [--client-id ID] [--client-secret SECRET] [--shop DOMAIN]...
                           [--rate-limits] [--faults SPEC]

  --faults SPEC  inject faults into every platform's order/sale list routes (token
                 refreshes get 5xx only), e.g.
                 5xx=0.05,timeout=0.02,truncate=0.03,burst429=0.02,expire=0.01,seed=7
                 rates 0-1 (summing to at most 1); also seed=N (default 0),
                 delay=30s (how long a timeout holds the answer), burst=3-8
                 (429s per burst), retry_after=1s (the wait a burst asks for)";

fn parse(args: impl Iterator<Item = String>) -> Result<Option<SandboxConfig>, SandboxError> {
    let mut config = SandboxConfig::default();
    let mut host: IpAddr = Ipv4Addr::LOCALHOST.into();
    let mut port = 0u16;
    let mut shops: Vec<String> = Vec::new();
    let mut app = ShopifyApp::default();
    let mut args = args.peekable();
    while let Some(flag) = args.next() {
        let mut value = |name: &str| {
            args.next()
                .ok_or_else(|| SandboxError::Usage(format!("{name} needs a value")))
        };
        let number = |name: &str, v: String| {
            v.parse::<u64>()
                .map_err(|_| SandboxError::Usage(format!("{name} expects a number, got {v:?}")))
        };
        match flag.as_str() {
            "--port" => {
                let v = value("--port")?;
                port = u16::try_from(number("--port", v)?)
                    .map_err(|_| SandboxError::Usage("--port is out of range".into()))?;
            }
            "--host" => {
                let v = value("--host")?;
                host = v
                    .parse()
                    .map_err(|_| SandboxError::Usage(format!("--host expects an IP, got {v:?}")))?;
            }
            "--orders" => config.order_count = number("--orders", value("--orders")?)? as usize,
            "--seed" => config.seed = number("--seed", value("--seed")?)?,
            "--client-id" => app.client_id = value("--client-id")?,
            "--client-secret" => app.client_secret = value("--client-secret")?,
            "--shop" => shops.push(value("--shop")?),
            "--rate-limits" => config.enforce_rate_limits = true,
            "--faults" => config.faults = FaultProfile::parse(&value("--faults")?)?,
            "-h" | "--help" => return Ok(None),
            other => return Err(SandboxError::Usage(format!("unknown argument {other:?}"))),
        }
    }
    if !shops.is_empty() {
        config.shops = shops;
    }
    config.addr = SocketAddr::new(host, port);
    config.shopify_app = app;
    Ok(Some(config))
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_writer(std::io::stderr)
        .init();
    let config = match parse(std::env::args().skip(1)) {
        Ok(Some(c)) => c,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("{e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let (shops, client_id, limits) = (
        config.shops.clone(),
        config.shopify_app.client_id.clone(),
        config.enforce_rate_limits,
    );
    let (stores, sites) = (
        config.bigcommerce_stores.clone(),
        config.woocommerce_sites.clone(),
    );
    let (retailers, xseries_app) = (config.xseries_retailers.clone(), config.xseries_app.clone());
    let (accounts, rseries_app) = (config.rseries_accounts.clone(), config.rseries_app.clone());
    let orders = config.order_count;
    let faults = config.faults.clone();
    let sandbox = match Sandbox::start(config).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("counterline-sandbox: {e}");
            return ExitCode::FAILURE;
        }
    };
    println!("{}", sandbox.base_url());
    for shop in &shops {
        eprintln!(
            "  Shopify shop {shop}: {} ({orders} orders)",
            sandbox.shopify_origin(shop)
        );
    }
    eprintln!(
        "  Shopify app client_id: {client_id}; rate limits {}",
        if limits { "enforced" } else { "reported only" }
    );
    for store in &stores {
        eprintln!(
            "  BigCommerce store {} ({}): {}stores/{}/v2/ with X-Auth-Token {}",
            store.store_hash,
            store.currency,
            sandbox.bigcommerce_origin(),
            store.store_hash,
            store.access_token
        );
    }
    for site in &sites {
        eprintln!(
            "  WooCommerce site {} ({}): {} with {}:{} or an Application Password for {}",
            site.host,
            site.currency,
            sandbox.woocommerce_origin(&site.host),
            site.consumer_key,
            site.consumer_secret,
            site.app_password_user
        );
    }
    for retailer in &retailers {
        eprintln!(
            "  Lightspeed X-Series retailer {} ({}): {}",
            retailer.domain_prefix,
            retailer.currency,
            sandbox.xseries_origin(&retailer.domain_prefix)
        );
    }
    eprintln!(
        "  X-Series authorize at {}connect with client_id {} / secret {}",
        sandbox.xseries_auth_origin(),
        xseries_app.client_id,
        xseries_app.client_secret
    );
    for account in &accounts {
        eprintln!(
            "  Lightspeed R-Series account {} \"{}\" ({}): {}API/V3/Account/{}/",
            account.account_id,
            account.name,
            account.currency,
            sandbox.rseries_origin(),
            account.account_id
        );
    }
    eprintln!(
        "  R-Series authorize at {}auth/oauth/authorize with client_id {} / secret {}",
        sandbox.rseries_auth_origin(),
        rseries_app.client_id,
        rseries_app.client_secret
    );
    if faults != FaultProfile::default() {
        eprintln!("  Faults on list routes: {faults:?}");
    }
    eprintln!("Press Ctrl-C to stop.");
    if let Err(e) = tokio::signal::ctrl_c().await {
        eprintln!("counterline-sandbox: cannot wait for Ctrl-C: {e}");
    }
    sandbox.shutdown().await;
    ExitCode::SUCCESS
}
