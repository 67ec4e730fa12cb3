//! Progress on stderr: bars and a spinner when stderr is a terminal, one plain line per step
//! otherwise (so CI logs show where a release is), nothing with `--quiet`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use sellkit::eqp::{ReleaseEvent, ReleaseEvents};

use crate::output::Ui;

enum Mode {
    Quiet,
    Lines,
    Bars { multi: MultiProgress, spinner: ProgressBar },
}

/// Shows the progress of one command.
pub struct Progress {
    mode: Mode,
    /// Upload bars by file name.
    bars: Mutex<HashMap<String, ProgressBar>>,
}

fn bar_style() -> ProgressStyle {
    ProgressStyle::with_template("  {prefix:<32!} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec}")
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ")
}

impl Progress {
    pub fn new(ui: &Ui) -> Arc<Progress> {
        let mode = if ui.quiet {
            Mode::Quiet
        } else if ui.tty {
            let multi = MultiProgress::with_draw_target(ProgressDrawTarget::stderr());
            let spinner = multi.add(ProgressBar::new_spinner());
            spinner.set_style(ProgressStyle::with_template("{spinner} {msg}").unwrap_or_else(|_| ProgressStyle::default_spinner()));
            spinner.enable_steady_tick(Duration::from_millis(100));
            Mode::Bars { multi, spinner }
        } else {
            Mode::Lines
        };
        Arc::new(Progress { mode, bars: Mutex::new(HashMap::new()) })
    }

    /// The release's events, shown.
    pub fn release_events(self: &Arc<Self>) -> ReleaseEvents {
        let me = self.clone();
        Arc::new(move |e: &ReleaseEvent| me.event(e))
    }

    fn event(&self, e: &ReleaseEvent) {
        match e {
            ReleaseEvent::Uploading { filename, sent, total, .. } => self.bytes(filename, *sent, *total),
            other => self.step(&other.describe()),
        }
    }

    /// A step: a line above the bars (and the spinner's text), or a plain line.
    pub fn step(&self, line: &str) {
        match &self.mode {
            Mode::Quiet => {}
            Mode::Lines => eprintln!("{line}"),
            Mode::Bars { multi, spinner } => {
                let _ = multi.println(format!("- {line}"));
                spinner.set_message(line.to_owned());
            }
        }
    }

    /// Bytes of one upload going out.
    pub fn bytes(&self, filename: &str, sent: u64, total: u64) {
        let mut bars = self.bars.lock().unwrap_or_else(|p| p.into_inner());
        match &self.mode {
            Mode::Quiet => {}
            Mode::Lines => {
                // One line per file: a log is no place for a moving bar.
                if !bars.contains_key(filename) {
                    eprintln!("uploading {filename} ({total} bytes)");
                    bars.insert(filename.to_owned(), ProgressBar::hidden());
                }
            }
            Mode::Bars { multi, .. } => {
                let bar = bars.entry(filename.to_owned()).or_insert_with(|| {
                    let b = multi.add(ProgressBar::new(total).with_style(bar_style()));
                    b.set_prefix(filename.to_owned());
                    b
                });
                bar.set_length(total);
                bar.set_position(sent);
                if total > 0 && sent >= total {
                    bar.finish();
                }
            }
        }
    }

    /// Remove the spinner; the finished bars stay on screen.
    pub fn finish(&self) {
        if let Mode::Bars { spinner, .. } = &self.mode {
            spinner.finish_and_clear();
        }
    }
}
