//! Keep a catalogue in sync: `sync CATALOGUE.csv STATE_URL [--delete-missing] [--dry-run]`.
//!
//! Credentials come from the environment (`SELLKIT_MP_CLIENT_ID`, `SELLKIT_MP_CLIENT_SECRET`,
//! `SELLKIT_MP_REFRESH_TOKEN`, and `SELLKIT_MP_BASE_URL` for the simulator).

use sellkit::marktplaats::sync::{catalogue_from_csv, SyncOptions};
use sellkit::marktplaats::Client;

/// Sync the catalogue in `csv_path` and return the lines printed.
pub async fn run(client: &Client, csv_path: &str, state: &str, flags: &[&str]) -> sellkit::Result<Vec<String>> {
    let text = std::fs::read_to_string(csv_path).map_err(|e| sellkit::Error::invalid_input("catalogue", e.to_string()))?;
    let catalogue = catalogue_from_csv(&text)?;
    let options = SyncOptions {
        delete_missing: flags.contains(&"--delete-missing"),
        dry_run: flags.contains(&"--dry-run"),
        ..SyncOptions::from_url(state)?
    };
    let result = client.ads().sync(&catalogue, &options).await?;
    let mut lines = Vec::new();
    for item in result.entries() {
        let note = item.error.as_ref().map(|e| format!("{}: {}", e.field.as_deref().unwrap_or(""), e.message.as_deref().unwrap_or(""))).unwrap_or_default();
        let action = item.action.as_ref().map(|a| a.as_str()).unwrap_or("?");
        lines.push(format!("{:<8} {:<10} {:<8} {note}", item.key.as_deref().unwrap_or(""), action, item.item_id.as_deref().unwrap_or("-")));
    }
    let c = result.counts.unwrap_or_default();
    let n = |v: Option<u64>| v.unwrap_or(0);
    lines.push(format!(
        "created={} updated={} unchanged={} deleted={} invalid={} failed={}",
        n(c.created), n(c.updated), n(c.unchanged), n(c.deleted), n(c.invalid), n(c.failed)
    ));
    Ok(lines)
}

#[allow(dead_code)]
#[tokio::main]
async fn main() -> sellkit::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let flags: Vec<&str> = args.iter().skip(2).map(String::as_str).collect();
    let client = Client::from_env()?;
    for line in run(&client, &args[0], &args[1], &flags).await? {
        println!("{line}");
    }
    Ok(())
}
