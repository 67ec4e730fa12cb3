//! `sellkit-soak [--operations N] [--concurrency N] [--fault-rate F] [--seed N] [--log FILE]`:
//! run the soak and print its figures; exits 1 when anything was lost, duplicated, untyped or
//! leaked into the logs, or when fewer than 10% of the responses were faulted.

use std::path::PathBuf;
use std::process::ExitCode;

use sellkit_soak::{find_secrets, install_trace_log, run, run_sync, Config, SyncConfig};

fn main() -> ExitCode {
    if std::env::args().nth(1).as_deref() == Some("--sync") {
        return sync_main(std::env::args().skip(2).collect());
    }
    let mut cfg = Config::default();
    let mut log = std::env::temp_dir().join(format!("sellkit-soak-{}.log", std::process::id()));
    let mut keep_log = false;
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let mut value = || args.next().unwrap_or_else(|| usage(&format!("{flag} needs a value")));
        match flag.as_str() {
            "--operations" => cfg.operations = value().parse().unwrap_or_else(|_| usage("--operations takes a number")),
            "--concurrency" => cfg.concurrency = value().parse().unwrap_or_else(|_| usage("--concurrency takes a number")),
            "--fault-rate" => cfg.fault_rate = value().parse().unwrap_or_else(|_| usage("--fault-rate takes a number")),
            "--seed" => cfg.seed = value().parse().unwrap_or_else(|_| usage("--seed takes a number")),
            "--log" => {
                log = PathBuf::from(value());
                keep_log = true;
            }
            _ => usage(&format!("unknown argument {flag}")),
        }
    }
    if let Err(e) = install_trace_log(&log) {
        eprintln!("cannot write the log {}: {e}", log.display());
        return ExitCode::FAILURE;
    }
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    let (report, secrets) = match runtime.block_on(run(&cfg)) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("soak could not run: {e}");
            return ExitCode::FAILURE;
        }
    };
    print!("{report}");
    let (found, bytes) = find_secrets(&log, &secrets).unwrap_or_else(|e| {
        eprintln!("cannot read the log {}: {e}", log.display());
        std::process::exit(1)
    });
    println!("  secrets searched in the logs   {} values in {:.1} MiB logged at TRACE: {} found", secrets.len(), bytes as f64 / 1048576.0, found.len());
    for name in &found {
        println!("  PROBLEM: the log holds the {name}");
    }
    if keep_log {
        println!("  log kept at {}", log.display());
    } else {
        let _ = std::fs::remove_file(&log);
    }
    let share_ok = report.fault_share() >= 0.10;
    if !share_ok {
        println!("  PROBLEM: only {:.1}% of the responses were faulted (at least 10% wanted)", 100.0 * report.fault_share());
    }
    if report.is_clean() && found.is_empty() && share_ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// `sellkit-soak --sync [--runs N] [--products N] [--fault-rate F] [--seed N]`: the sync workload.
fn sync_main(args: Vec<String>) -> ExitCode {
    let mut cfg = SyncConfig::default();
    let mut args = args.into_iter();
    while let Some(flag) = args.next() {
        let mut value = || args.next().unwrap_or_else(|| usage(&format!("{flag} needs a value")));
        match flag.as_str() {
            "--runs" => cfg.runs = value().parse().unwrap_or_else(|_| usage("--runs takes a number")),
            "--products" => cfg.products = value().parse().unwrap_or_else(|_| usage("--products takes a number")),
            "--fault-rate" => cfg.fault_rate = value().parse().unwrap_or_else(|_| usage("--fault-rate takes a number")),
            "--seed" => cfg.seed = value().parse().unwrap_or_else(|_| usage("--seed takes a number")),
            _ => usage(&format!("unknown argument {flag}")),
        }
    }
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    match runtime.block_on(run_sync(&cfg)) {
        Ok(report) => {
            print!("{report}");
            if report.is_clean() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Err(e) => {
            eprintln!("the sync soak could not run: {e}");
            ExitCode::FAILURE
        }
    }
}

fn usage(problem: &str) -> ! {
    eprintln!("{problem}\nusage: sellkit-soak [--operations N] [--concurrency N] [--fault-rate F] [--seed N] [--log FILE]\n       sellkit-soak --sync [--runs N] [--products N] [--fault-rate F] [--seed N]");
    std::process::exit(2)
}
