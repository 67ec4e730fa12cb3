//! `sellkit mp sync`: a catalogue file through `ads.sync`, the plan or result as a table or JSON.

use std::io::Read;
use std::path::Path;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use sellkit::marktplaats::sync::{catalogue_from_csv, catalogue_from_json, Catalogue, SyncOptions, SyncResult};
use sellkit::marktplaats::Client;
use sellkit::{Error, Result};
use serde_json::Value;

use crate::args::{CatalogueFormat, SyncArgs};
use crate::config_dir::{persistent_store, SYNC_STATE_FILE};
use crate::output::{cell, table, Ui};
use crate::{EXIT_OK, EXIT_REJECTED};

/// The variable naming the sync state when `--state` does not.
pub const ENV_SYNC_STATE: &str = "SELLKIT_SYNC_STATE";

pub async fn run(client: &Client, args: SyncArgs, ui: &Ui) -> Result<i32> {
    // Everything local is checked before the first request: a bad file sends nothing.
    let catalogue = read_catalogue(&args.catalogue, args.format)?;
    let state = persistent_store("--state", args.state.as_deref(), ENV_SYNC_STATE, SYNC_STATE_FILE)?;
    let options = SyncOptions {
        delete_missing: args.delete_missing,
        dry_run: args.dry_run,
        concurrency: usize::from(args.concurrency),
        ..SyncOptions::from_url(&state).map_err(|e| rename_field(e, "--state"))?
    };
    let spinner = spinner(ui, &catalogue, args.dry_run);
    let result = client.ads().sync(&catalogue, &options).await;
    if let Some(s) = &spinner {
        s.finish_and_clear();
    }
    let result = result?;
    let view = result_json(&result, args.dry_run);
    ui.result(&view, || human(&result, args.dry_run));
    let c = result.counts.clone().unwrap_or_default();
    Ok(if c.invalid.unwrap_or(0) + c.failed.unwrap_or(0) > 0 { EXIT_REJECTED } else { EXIT_OK })
}

/// The catalogue in `path` (`-`: stdin), in `format` or the one its extension names.
fn read_catalogue(path: &Path, format: Option<CatalogueFormat>) -> Result<Catalogue> {
    let format = match format {
        Some(f) => f,
        None => match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
            Some("csv") => CatalogueFormat::Csv,
            Some("json") => CatalogueFormat::Json,
            _ => return Err(Error::invalid_input("--format", format!("cannot tell the format of {}: give --format csv or --format json", path.display()))),
        },
    };
    let text = if path.as_os_str() == "-" {
        let mut text = String::new();
        std::io::stdin().read_to_string(&mut text).map_err(|e| Error::invalid_input("--catalogue", format!("cannot read stdin: {e}")))?;
        text
    } else {
        std::fs::read_to_string(path).map_err(|e| Error::invalid_input("--catalogue", format!("cannot read {}: {e}", path.display())))?
    };
    let catalogue = match format {
        CatalogueFormat::Csv => catalogue_from_csv(&text),
        CatalogueFormat::Json => catalogue_from_json(&text),
    }
    .map_err(|e| in_file(e, path))?;
    Ok(catalogue)
}

/// A reader's error (`line 3: price`) with the file it is about.
fn in_file(e: Error, path: &Path) -> Error {
    let field = match e.field() {
        Some("catalogue") | None => format!("--catalogue {}", path.display()),
        Some(f) => format!("{}: {f}", path.display()),
    };
    Error::invalid_input(field, e.message().to_owned()).with_code(e.code().to_owned())
}

/// The same error, naming the flag the user typed instead of the library's parameter.
fn rename_field(e: Error, flag: &str) -> Error {
    if e.field().is_some() {
        Error::invalid_input(flag, e.message().to_owned()).with_code(e.code().to_owned())
    } else {
        e
    }
}

/// A spinner on a terminal only: a log gets the result, not a moving line.
fn spinner(ui: &Ui, catalogue: &Catalogue, dry_run: bool) -> Option<ProgressBar> {
    if ui.quiet || !ui.tty {
        return None;
    }
    let s = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    s.set_style(ProgressStyle::with_template("{spinner} {msg} {elapsed}").unwrap_or_else(|_| ProgressStyle::default_spinner()));
    let what = if dry_run { "planning" } else { "syncing" };
    s.set_message(format!("{what} {} keys", catalogue.len()));
    s.enable_steady_tick(Duration::from_millis(100));
    Some(s)
}

/// The JSON document: the result as the libraries return it, and whether it was a dry run.
fn result_json(result: &SyncResult, dry_run: bool) -> Value {
    let mut v = serde_json::to_value(result).unwrap_or(Value::Null);
    if let Value::Object(m) = &mut v {
        m.insert("dryRun".into(), Value::Bool(dry_run));
    }
    v
}

fn human(result: &SyncResult, dry_run: bool) -> String {
    let rows = result
        .entries()
        .iter()
        .map(|i| {
            let error = i.error.as_ref().map(|e| {
                let field = e.field.as_deref().map(|f| format!(" ({f})")).unwrap_or_default();
                format!("{}: {}{field}", e.code.as_deref().unwrap_or("-"), e.message.as_deref().unwrap_or(""))
            });
            vec![
                i.key.clone().unwrap_or_default(),
                i.action.as_ref().map(|a| a.as_str().to_owned()).unwrap_or_default(),
                cell(i.item_id.as_ref().map(|s| Value::String(s.clone())).as_ref()),
                error.unwrap_or_default(),
            ]
        })
        .collect();
    let c = result.counts.clone().unwrap_or_default();
    let n = |x: Option<u64>| x.unwrap_or(0);
    let counts = format!(
        "created={} updated={} unchanged={} deleted={} invalid={} failed={}",
        n(c.created),
        n(c.updated),
        n(c.unchanged),
        n(c.deleted),
        n(c.invalid),
        n(c.failed)
    );
    let note = if dry_run { "\ndry run: nothing was sent or written" } else { "" };
    format!("{}\n{counts}{note}", table(&["KEY", "ACTION", "ITEM", "ERROR"], rows))
}
