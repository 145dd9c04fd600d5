//! `counterline-cli`: the core without a window, for scripts and benchmarks.
//!
//!   counterline-cli sync --data-dir DIR [--channel ID]... [--config FILE]
//!                        [--sandbox URL] [--keychain-service NAME]
//!   counterline-cli bench sync [--platform woocommerce|shopify] [--orders N] [--runs R] [--out FILE]
//!   counterline-cli bench budget [--seconds S] [--out FILE]
//!   counterline-cli bench loyalty [--members N] [--orders N] [--runs R] [--pages P] [--out FILE] [--db FILE]
//!   counterline-cli bench orders [--orders N] [--pages P] [--out FILE] [--db FILE]
//!
//! The sandbox has its own binary: `counterline-sandbox --help`.

mod bench;
mod bench_budget;
mod bench_loyalty;
mod bench_orders;
mod sync;

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage:
  counterline-cli sync --data-dir DIR [--channel ID]... [--config FILE] [--sandbox URL] [--keychain-service NAME]
  counterline-cli bench sync [--platform woocommerce|shopify] [--orders N] [--runs R] [--out FILE]
  counterline-cli bench budget [--seconds S] [--out FILE]
  counterline-cli bench loyalty [--members N] [--orders N] [--runs R] [--pages P] [--out FILE] [--db FILE]
  counterline-cli bench orders [--orders N] [--pages P] [--out FILE] [--db FILE]";

fn usage(problem: &str) -> ExitCode {
    if !problem.is_empty() {
        eprintln!("{problem}");
    }
    eprintln!("{USAGE}");
    ExitCode::from(2)
}

/// The value after `name`, parsed; `default` when the flag is absent.
fn flag<T: std::str::FromStr>(args: &[String], name: &str, default: T) -> Result<T, String> {
    match args.iter().position(|a| a == name) {
        None => Ok(default),
        Some(i) => args.get(i + 1).and_then(|v| v.parse().ok()).ok_or_else(|| format!("{name} needs a valid value")),
    }
}

/// The value after `name`, if the flag is given.
fn optional<T: std::str::FromStr>(args: &[String], name: &str) -> Result<Option<T>, String> {
    flags(args, name).map(|mut values| values.pop())
}

/// Every value of a repeatable flag.
fn flags<T: std::str::FromStr>(args: &[String], name: &str) -> Result<Vec<T>, String> {
    args.iter()
        .enumerate()
        .filter(|(_, a)| *a == name)
        .map(|(i, _)| args.get(i + 1).and_then(|v| v.parse().ok()).ok_or_else(|| format!("{name} needs a valid value")))
        .collect()
}

fn sync_options(args: &[String]) -> Result<sync::Options, String> {
    let data_dir = optional::<PathBuf>(args, "--data-dir")?
        .or_else(|| std::env::var_os("COUNTERLINE_DATA_DIR").map(PathBuf::from))
        .ok_or("--data-dir is required (the app's data folder, holding counterline.db)")?;
    Ok(sync::Options {
        data_dir,
        channels: flags(args, "--channel")?,
        config: optional(args, "--config")?,
        sandbox: optional(args, "--sandbox")?,
        keychain_service: flag(args, "--keychain-service", sync::DEFAULT_KEYCHAIN_SERVICE.to_owned())?,
    })
}

fn bench_options(args: &[String]) -> Result<bench::Options, String> {
    Ok(bench::Options {
        orders: flag(args, "--orders", 10_000)?,
        runs: flag(args, "--runs", 5)?,
        out: flag(args, "--out", "docs/benchmarks.md".to_owned())?,
        platform: flag(args, "--platform", "woocommerce".to_owned())?,
    })
}

fn main() -> ExitCode {
    tracing_subscriber::fmt().with_writer(std::io::stderr).with_env_filter(
        tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "warn".into()),
    ).init();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let verb: Vec<&str> = args.iter().take(2).map(String::as_str).collect();
    let outcome = match verb.as_slice() {
        ["sync", ..] => match sync_options(&args[1..]) {
            Ok(options) => runtime.block_on(sync::run(options)).map_err(|e| e.to_string()),
            Err(problem) => return usage(&problem),
        },
        ["bench", "sync"] => match bench_options(&args[2..]) {
            Ok(options) => runtime.block_on(bench::sync(options)),
            Err(problem) => return usage(&problem),
        },
        ["bench", "budget"] => {
            let options = (|| -> Result<bench_budget::Options, String> {
                Ok(bench_budget::Options {
                    seconds: flag(&args[2..], "--seconds", 30)?,
                    out: flag(&args[2..], "--out", "docs/benchmarks.md".to_owned())?,
                })
            })();
            match options {
                Ok(options) => runtime.block_on(bench_budget::budget(options)),
                Err(problem) => return usage(&problem),
            }
        }
        ["bench", "loyalty"] => {
            let options = (|| -> Result<bench_loyalty::Options, String> {
                Ok(bench_loyalty::Options {
                    members: flag(&args[2..], "--members", 100_000)?,
                    orders: flag(&args[2..], "--orders", 1_000_000)?,
                    runs: flag(&args[2..], "--runs", 5)?,
                    pages: flag(&args[2..], "--pages", 40)?,
                    out: flag(&args[2..], "--out", "docs/benchmarks.md".to_owned())?,
                    db: optional(&args[2..], "--db")?,
                })
            })();
            match options {
                Ok(options) if options.members > 0 && options.orders > 0 && options.runs > 0 && options.pages > 0 => {
                    runtime.block_on(bench_loyalty::loyalty(options))
                }
                Ok(_) => return usage("--members, --orders, --runs and --pages must be more than zero"),
                Err(problem) => return usage(&problem),
            }
        }
        ["bench", "orders"] => {
            let options = (|| -> Result<bench_orders::Options, String> {
                Ok(bench_orders::Options {
                    orders: flag(&args[2..], "--orders", 1_000_000)?,
                    pages: flag(&args[2..], "--pages", 20)?,
                    out: flag(&args[2..], "--out", "docs/benchmarks.md".to_owned())?,
                    db: optional(&args[2..], "--db")?,
                })
            })();
            match options {
                Ok(options) => runtime.block_on(bench_orders::orders(options)),
                Err(problem) => return usage(&problem),
            }
        }
        // The benchmark's own sandbox process (see bench.rs), not for people.
        ["bench", "sandbox"] => match flag(&args[2..], "--orders", 10_000) {
            Ok(orders) => runtime.block_on(bench::serve_sandbox(orders)),
            Err(problem) => return usage(&problem),
        },
        _ => return usage(""),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}
