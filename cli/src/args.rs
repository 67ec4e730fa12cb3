//! The command line: every command, flag and help text (clap derive).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

const AFTER_HELP: &str = "\
Credentials and hosts come from the environment; flags win:
  EQP:         SELLKIT_EQP_APP_ID, SELLKIT_EQP_APP_SECRET, SELLKIT_EQP_ENVIRONMENT, SELLKIT_EQP_BASE_URL
  Marktplaats: SELLKIT_MP_CLIENT_ID, SELLKIT_MP_CLIENT_SECRET, SELLKIT_MP_REFRESH_TOKEN,
               SELLKIT_MP_PLATFORM, SELLKIT_MP_BASE_URL, SELLKIT_MP_AUTH_BASE_URL,
               SELLKIT_TOKEN_STORE (where `mp login` keeps the tokens), SELLKIT_SYNC_STATE

Exit codes (the same for every command):
  0  success
  1  a bug in sellkit
  2  usage or invalid input (nothing was sent)
  3  authentication or permission refused
  4  not found
  5  rate limited
  6  server, connection or timeout error
  7  rejected: a malware scan, a batch or sync item, a test or a review failed
  8  waited past --timeout

Try it without an account: `sellkit simulator` serves both APIs on loopback and prints the
variables to point sellkit at it.";

/// sellkit: release Adobe Commerce Marketplace extensions from CI, and work with both
/// marketplace APIs (EQP and Marktplaats) from a shell.
#[derive(Debug, Parser)]
#[command(name = "sellkit", version, about, long_about = None, after_help = AFTER_HELP)]
// No `propagate_version`: `eqp release --version` is the version to release.
pub struct Cli {
    #[command(flatten)]
    pub output: OutputArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// How results are shown.
#[derive(Debug, Clone, Copy, Args)]
pub struct OutputArgs {
    /// Print one JSON document on stdout (the result, or `{"error": ...}`) instead of tables.
    #[arg(long, global = true)]
    pub json: bool,
    /// Print nothing on stderr but errors (no progress).
    #[arg(long, short, global = true)]
    pub quiet: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// The Adobe Commerce Marketplace EQP API: release extensions, files, packages, test results.
    Eqp(EqpArgs),
    /// The Marktplaats / 2dehands / 2ememain API: your ads and webhooks.
    Mp(MpArgs),
    /// Call any endpoint with the client's authentication, retries and errors:
    /// `sellkit request eqp|mp METHOD PATH [--data JSON|@FILE]`.
    #[command(subcommand)]
    Request(RequestCommand),
    /// Serve both APIs from memory on loopback (for trying sellkit and for tests) until stopped.
    Simulator(SimulatorArgs),
}

/// EQP credentials and host; the `SELLKIT_EQP_*` variables fill what is not given.
#[derive(Debug, Clone, Default, Args)]
pub struct EqpConnection {
    /// Application id of the EQP API key [SELLKIT_EQP_APP_ID].
    #[arg(long, global = true, value_name = "ID")]
    pub app_id: Option<String>,
    /// Application secret (prefer the SELLKIT_EQP_APP_SECRET variable: a flag shows in the
    /// process list).
    #[arg(long, global = true, value_name = "SECRET", hide_env_values = true)]
    pub app_secret: Option<String>,
    /// `production` (the default) or `sandbox` [SELLKIT_EQP_ENVIRONMENT].
    #[arg(long, global = true, value_name = "NAME")]
    pub environment: Option<String>,
    /// Any base URL instead of the environment's [SELLKIT_EQP_BASE_URL].
    #[arg(long, global = true, value_name = "URL")]
    pub base_url: Option<String>,
}

#[derive(Debug, Args)]
pub struct EqpArgs {
    #[command(flatten)]
    pub connection: EqpConnection,
    #[command(subcommand)]
    pub command: EqpCommand,
}

#[derive(Debug, Subcommand)]
pub enum EqpCommand {
    /// Release one version of an extension: upload, scan, create or update, submit, and wait.
    ///
    /// Resumable: run it again after any failure (or a killed job) and it continues where it
    /// stopped, finding the earlier uploads and the submission through the API; it never
    /// creates a second submission for the same sku and version.
    Release(ReleaseArgs),
    /// Show the account of the API key.
    Whoami,
    /// Uploaded files.
    #[command(subcommand)]
    Files(FilesCommand),
    /// Package submissions.
    #[command(subcommand)]
    Packages(PackagesCommand),
    /// The test results of a submission, as a table and as JUnit XML.
    TestResults(TestResultsArgs),
    /// Magento 2 Composer keys (their passwords are never shown).
    #[command(subcommand)]
    Keys(KeysCommand),
}

#[derive(Debug, Args)]
pub struct ReleaseArgs {
    /// The extension's sku, `vendor/package`.
    #[arg(long)]
    pub sku: String,
    /// The version to release (`1.4.0`).
    #[arg(long)]
    pub version: String,
    /// The package ZIP.
    #[arg(long, value_name = "FILE")]
    pub artifact: PathBuf,
    /// A documentation PDF: FILE, or user=FILE, installation=FILE, reference=FILE (repeat;
    /// without a role: user, installation, reference in order).
    #[arg(long = "docs", value_name = "FILE")]
    pub docs: Vec<String>,
    /// An image: FILE, icon=FILE or gallery=FILE (repeat; the first is the icon unless one is
    /// named).
    #[arg(long = "media", value_name = "FILE")]
    pub media: Vec<String>,
    /// A JSON file of more package fields (release_notes, version_compatibility, name,
    /// categories, ...); its `action` chooses the tracks to submit (both by default).
    #[arg(long, value_name = "PACKAGE.json")]
    pub package: Option<PathBuf>,
    /// Leave the submission a draft.
    #[arg(long)]
    pub no_submit: bool,
    /// Wait for the review verdicts and read the test results (exit 7 when a review rejects).
    #[arg(long)]
    pub wait: bool,
    /// The longest to wait in all, for the scans and the review (exit 8 past it).
    #[arg(long, value_name = "SECONDS", default_value_t = 1800.0)]
    pub timeout: f64,
    /// First wait between two polls of the review status (it grows by half each round, up to
    /// 60 s).
    #[arg(long, value_name = "SECONDS", default_value_t = 5.0)]
    pub poll_interval: f64,
    /// Write the test results as JUnit XML (with --wait).
    #[arg(long, value_name = "PATH")]
    pub junit: Option<PathBuf>,
    /// Check everything and print what would be done; read-only requests only.
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Subcommand)]
pub enum FilesCommand {
    /// Upload files (one request each) and show their upload ids.
    Upload {
        /// The files.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// Wait for their malware scans (exit 7 when one fails).
        #[arg(long)]
        wait_scan: bool,
        /// The longest to wait for the scans (exit 8 past it).
        #[arg(long, value_name = "SECONDS", default_value_t = 300.0)]
        timeout: f64,
    },
}

#[derive(Debug, Subcommand)]
pub enum PackagesCommand {
    /// Every submission, or the versions of one sku.
    List {
        /// Only this sku.
        #[arg(long)]
        sku: Option<String>,
    },
    /// One submission.
    Get {
        /// Its id.
        submission_id: String,
    },
}

#[derive(Debug, Args)]
pub struct TestResultsArgs {
    /// The submission.
    pub submission_id: String,
    /// Write them as JUnit XML.
    #[arg(long, value_name = "PATH")]
    pub junit: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// The account's Composer keys.
    List,
}

/// Marktplaats credentials and host; the `SELLKIT_MP_*` variables fill what is not given.
#[derive(Debug, Clone, Default, Args)]
pub struct MpConnection {
    /// `marktplaats` (the default), `2dehands` or `2ememain` [SELLKIT_MP_PLATFORM].
    #[arg(long, global = true, value_name = "NAME")]
    pub platform: Option<String>,
    /// OAuth client id [SELLKIT_MP_CLIENT_ID].
    #[arg(long, global = true, value_name = "ID")]
    pub client_id: Option<String>,
    /// OAuth client secret (prefer SELLKIT_MP_CLIENT_SECRET: a flag shows in the process list).
    #[arg(long, global = true, value_name = "SECRET")]
    pub client_secret: Option<String>,
    /// Refresh token (prefer SELLKIT_MP_REFRESH_TOKEN).
    #[arg(long, global = true, value_name = "TOKEN")]
    pub refresh_token: Option<String>,
    /// Any API base URL instead of the platform's [SELLKIT_MP_BASE_URL].
    #[arg(long, global = true, value_name = "URL")]
    pub base_url: Option<String>,
    /// The OAuth server's base URL [SELLKIT_MP_AUTH_BASE_URL].
    #[arg(long, global = true, value_name = "URL")]
    pub auth_base_url: Option<String>,
    /// Where the tokens are kept: `file:///absolute/path.json` or `redis://host:port/db`
    /// [SELLKIT_TOKEN_STORE]. Default: the file `sellkit/tokens.json` in the user's config
    /// folder ($XDG_CONFIG_HOME, else ~/.config), where `sellkit mp login` writes them; not
    /// used when a refresh token is given (flag or variable) unless named.
    #[arg(long, global = true, value_name = "URL")]
    pub token_store: Option<String>,
}

#[derive(Debug, Args)]
pub struct MpArgs {
    #[command(flatten)]
    pub connection: MpConnection,
    #[command(subcommand)]
    pub command: MpCommand,
}

#[derive(Debug, Subcommand)]
pub enum MpCommand {
    /// Show the user of the refresh token.
    Whoami,
    /// Your ads.
    #[command(subcommand)]
    Ads(AdsCommand),
    /// Webhooks Marktplaats sends you.
    #[command(subcommand)]
    Webhook(WebhookCommand),
    /// Keep a catalogue (your key → the ad) listed: place, change and (with --delete-missing)
    /// delete ads until the platform matches it.
    #[command(long_about = SYNC_ABOUT, after_help = SYNC_AFTER_HELP)]
    Sync(SyncArgs),
    /// Sign in as a seller in the browser (OAuth2 authorization code) and keep the tokens in
    /// the token store, where the other `sellkit mp` commands and your workers find them.
    #[command(long_about = LOGIN_ABOUT)]
    Login(LoginArgs),
}

const SYNC_ABOUT: &str = "\
Keep a catalogue (your key, a SKU, -> the ad as it should be) listed on Marktplaats, 2dehands or
2ememain. Each key gets one action: created, updated (one JSON Patch of what changed), unchanged,
deleted (only with --delete-missing), invalid (refused locally, naming the field; nothing sent) or
failed (the next run finishes the job). A create whose answer was lost is looked up among your ads
before anything is sent again: never two ads for one key.

The state (key -> item id and fingerprint) is kept in a store: --state URL, else SELLKIT_SYNC_STATE,
else the file sellkit/sync-state.json in the user's config folder ($XDG_CONFIG_HOME, else
~/.config). Keep one state per seller account. `memory:` is refused: a command's memory is gone
when it exits.

Exit 0 when every key is created, updated, unchanged or deleted; 7 when one is invalid or failed
(the others are still done); 2 for an unreadable catalogue (nothing sent).";

const SYNC_AFTER_HELP: &str = "\
The CSV catalogue: UTF-8, comma-separated, a header row, quoted as RFC 4180; columns in any order,
empty cells left out of the ad:
  key                  your key (a SKU), required and unique
  title, description, locale, status
                       the members of that name
  category_id          categoryId (a whole number, a leaf category)
  postcode             location.postcode
  price                euros (12, 12.5, 12.50 or 12,50) -> priceModel.askingPrice in cents
  price_model          priceModel.modelType (fixed when empty and a price is given)
  minimal_bid          euros -> priceModel.minimalBid in cents (bidding)
  images               image URLs separated by spaces or |
  attr.NAME            the category attribute NAME as text (attr.condition)
  attr.NAME:number     the attribute NAME as a number (attr.mileage:number)
Euros become cents by decimal arithmetic, never through a float. An error names the line and
column (`line 3: price`).

The JSON catalogue: an object mapping each key to its ad in the API's spelling (amounts in
cents), optionally with `images`, a list of URLs.

Example:
  sellkit mp sync --catalogue products.csv --dry-run
  sellkit mp sync --catalogue products.csv --delete-missing --json
  sellkit mp sync --catalogue shop.json --state file:///srv/shop/sync.json";

const LOGIN_ABOUT: &str = "\
Sign in as a seller: sellkit prints the authorization URL (and opens the browser when run at a
terminal, unless --no-browser), receives the redirect on http://127.0.0.1:PORT/callback, checks its
`state`, exchanges the code and writes the tokens to the token store: --token-store URL, else
SELLKIT_TOKEN_STORE, else the file sellkit/tokens.json in the user's config folder
($XDG_CONFIG_HOME, else ~/.config), mode 0600. The other `sellkit mp` commands, and clients or
workers given the same store, client id and platform, use them from then on. The tokens are never
printed.

The redirect URI must be one registered for your application (SELLKIT_MP_CLIENT_ID and
SELLKIT_MP_CLIENT_SECRET): http://127.0.0.1:8765/callback with the default --port.";

/// How the catalogue file is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CatalogueFormat {
    /// A header row and one row per key (see below).
    Csv,
    /// An object of key -> ad.
    Json,
}

#[derive(Debug, Args)]
pub struct SyncArgs {
    /// The catalogue: a .csv or .json file, or `-` for stdin (then --format is needed).
    #[arg(long, value_name = "FILE")]
    pub catalogue: PathBuf,
    /// The catalogue's format (default: from the file's extension).
    #[arg(long, value_enum)]
    pub format: Option<CatalogueFormat>,
    /// Where the sync state is kept: `file:///absolute/path.json` or `redis://host:port/db`
    /// [SELLKIT_SYNC_STATE; default: sellkit/sync-state.json in the user's config folder].
    #[arg(long, value_name = "URL")]
    pub state: Option<String>,
    /// Delete the ads of keys the state knows and the catalogue no longer has.
    #[arg(long)]
    pub delete_missing: bool,
    /// Plan only: print what would be done; read-only requests, nothing written to the state.
    #[arg(long)]
    pub dry_run: bool,
    /// Ads applied at once.
    #[arg(long, value_name = "N", default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=sellkit::marktplaats::sync::MAX_CONCURRENCY as i64))]
    pub concurrency: u16,
}

#[derive(Debug, Args)]
pub struct LoginArgs {
    /// The loopback port that receives the redirect (0: any free port; the redirect URI must
    /// be one registered for the application).
    #[arg(long, value_name = "N", default_value_t = 8765)]
    pub port: u16,
    /// Do not open a browser: only print the URL.
    #[arg(long)]
    pub no_browser: bool,
    /// The scopes to ask for (default: read write).
    #[arg(long, value_name = "SCOPE", num_args = 1.., value_delimiter = ',')]
    pub scopes: Vec<String>,
    /// The longest to wait for the sign-in (exit 8 past it).
    #[arg(long, value_name = "SECONDS", default_value_t = 300)]
    pub timeout: u64,
}

#[derive(Debug, Subcommand)]
pub enum AdsCommand {
    /// Your ads.
    List {
        /// At most this many.
        #[arg(long)]
        limit: Option<u64>,
    },
    /// One ad.
    Get {
        /// Its item id (`m1234567890`).
        item_id: String,
    },
    /// Change members of an ad: `--set title="New title" --set priceModel.askingPrice=1500`.
    ///
    /// PATH is a JSON Pointer (`/priceModel/askingPrice`) or dotted (`priceModel.askingPrice`);
    /// VALUE is read as JSON when it is JSON (numbers, true, "text", {...}) and as text
    /// otherwise. Amounts are euro cents.
    Patch {
        /// The ad.
        item_id: String,
        /// PATH=VALUE (repeat).
        #[arg(long = "set", value_name = "PATH=VALUE", required = true)]
        set: Vec<String>,
    },
    /// Renew an ad that is about to expire.
    Renew {
        /// The ad.
        item_id: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum WebhookCommand {
    /// Check a webhook's signature: the body on stdin, the `X-Ecg-Signature` header as
    /// --signature. Exit 0 when valid, 7 when not.
    Verify {
        /// The secret shared with Marktplaats.
        #[arg(long, env = "SELLKIT_MP_WEBHOOK_SECRET", hide_env_values = true)]
        secret: String,
        /// The `X-Ecg-Signature` header of the request.
        #[arg(long, value_name = "HEX")]
        signature: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum RequestCommand {
    /// An EQP endpoint (`/rest/v1/...`).
    Eqp {
        #[command(flatten)]
        call: RawCall,
        #[command(flatten)]
        connection: EqpConnection,
    },
    /// A Marktplaats endpoint (`/v1/...`).
    Mp {
        #[command(flatten)]
        call: RawCall,
        #[command(flatten)]
        connection: MpConnection,
    },
}

/// One raw call.
#[derive(Debug, Args)]
pub struct RawCall {
    /// `GET`, `POST`, `PUT`, `PATCH`, `DELETE` or `HEAD`.
    pub method: String,
    /// The path: `/rest/v1/...` (EQP) or `/v1/...` (Marktplaats).
    pub path: String,
    /// The JSON body: inline, `@FILE`, or `@-` for stdin.
    #[arg(long, value_name = "JSON|@FILE")]
    pub data: Option<String>,
}

#[derive(Debug, Args)]
pub struct SimulatorArgs {
    /// The EQP port (0: a free one); each Marktplaats platform gets a free port.
    #[arg(long, default_value_t = 0)]
    pub port: u16,
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    /// clap checks the whole tree (unique names, globals, defaults) only when asked; a clash
    /// would otherwise surface as a panic at the first run of that command.
    #[test]
    fn the_command_tree_is_consistent() {
        super::Cli::command().debug_assert();
    }
}
