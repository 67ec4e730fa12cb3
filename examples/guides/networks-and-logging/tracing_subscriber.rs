//! sellkit in Rust behind a company network, logging through a `tracing` subscriber.
//!
//! Reads the credentials from the environment (`SELLKIT_EQP_APP_ID`, `SELLKIT_EQP_APP_SECRET`, and
//! `SELLKIT_EQP_BASE_URL` for another host than production) and, when they are set,
//! `COMPANY_PROXY` and `COMPANY_CA_BUNDLE` (this example's own names). core/tests/guide_examples.rs
//! runs it against the simulator.

use futures_util::StreamExt;
use sellkit::eqp::{Client, ListOptions, PackageFilter};
use tracing_subscriber::EnvFilter;

/// Every request and answer of sellkit's HTTP layer (target `sellkit::http`), token events
/// (`sellkit::auth`) and the rest of sellkit at `info`, other crates at `warn`; `SELLKIT_LOG`
/// is the Python and Node packages' variable, a Rust program chooses its own (`RUST_LOG` here).
pub fn install_logging() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("warn,sellkit=info,sellkit::http=debug"));
    // A JSON pipeline would add `.json()` (tracing-subscriber's `json` feature).
    tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).init();
}

/// The client, behind the company's proxy and CA when they are given.
pub fn client() -> sellkit::Result<Client> {
    let mut builder = Client::builder().env_defaults();
    if let Ok(proxy) = std::env::var("COMPANY_PROXY") {
        builder = builder.proxy(proxy);
    }
    if let Ok(pem) = std::env::var("COMPANY_CA_BUNDLE") {
        builder = builder.ca_bundle(pem);
    }
    builder.build()
}

/// The profile's mage id and the number of packages (at most five): one request each, logged.
pub async fn run(client: &Client) -> sellkit::Result<(String, usize)> {
    let profile = client.users().get(None).await?;
    let mut packages = std::pin::pin!(client.packages().list(&PackageFilter::default(), ListOptions { limit: Some(5), page_size: None }));
    let mut count = 0;
    while let Some(package) = packages.next().await {
        package?;
        count += 1;
    }
    Ok((profile.mage_id().unwrap_or_default().to_owned(), count))
}

#[allow(dead_code)] // the test calls the functions above; `main` is how a program would.
#[tokio::main]
async fn main() -> sellkit::Result<()> {
    install_logging();
    let (mage_id, packages) = run(&client()?).await?;
    println!("{mage_id}: {packages} packages");
    Ok(())
}
