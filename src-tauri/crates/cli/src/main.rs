//! `counterline-cli`: the sync engine without a window. For now it carries the
//! sync benchmark; later issues add `sync`, `export` and `sandbox` verbs.
//!
//!   counterline-cli bench sync [--orders N] [--runs R] [--out docs/benchmarks.md]
//!   counterline-cli bench budget [--seconds S] [--out docs/benchmarks.md]

mod bench;
mod bench_budget;

use std::process::ExitCode;

fn usage() -> ExitCode {
    eprintln!("usage: counterline-cli bench sync [--orders N] [--runs R] [--out FILE]");
    eprintln!("       counterline-cli bench budget [--seconds S] [--out FILE]");
    ExitCode::from(2)
}

fn flag<T: std::str::FromStr>(args: &[String], name: &str, default: T) -> Result<T, String> {
    match args.iter().position(|a| a == name) {
        None => Ok(default),
        Some(i) => args
            .get(i + 1)
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| format!("{name} needs a value")),
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 2 || args[0] != "bench" || !matches!(args[1].as_str(), "sync" | "budget") {
        return usage();
    }
    if args[1] == "budget" {
        return budget(&args);
    }
    let options = (|| -> Result<bench::Options, String> {
        Ok(bench::Options {
            orders: flag(&args, "--orders", 10_000)?,
            runs: flag(&args, "--runs", 5)?,
            out: flag(&args, "--out", "docs/benchmarks.md".to_owned())?,
        })
    })();
    let options = match options {
        Ok(o) => o,
        Err(message) => {
            eprintln!("{message}");
            return usage();
        }
    };
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(bench::sync(options)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("benchmark failed: {message}");
            ExitCode::FAILURE
        }
    }
}

fn budget(args: &[String]) -> ExitCode {
    let options = (|| -> Result<bench_budget::Options, String> {
        Ok(bench_budget::Options {
            seconds: flag(args, "--seconds", 30)?,
            out: flag(args, "--out", "docs/benchmarks.md".to_owned())?,
        })
    })();
    let options = match options {
        Ok(o) => o,
        Err(message) => {
            eprintln!("{message}");
            return usage();
        }
    };
    match tokio::runtime::Runtime::new().map_err(|e| e.to_string()).and_then(|r| r.block_on(bench_budget::budget(options))) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("benchmark failed: {message}");
            ExitCode::FAILURE
        }
    }
}
