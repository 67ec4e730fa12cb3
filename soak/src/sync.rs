//! The sync workload: a catalogue synced again and again with `ads().sync`, edited between runs
//! (prices, titles, images, keys removed and added), while a share of the responses is faulted
//! (dropped connections before and after processing, stalls past the client's timeout, 429 and
//! 503, truncated bodies) and every token is expired now and then. Queued faults make sure that
//! creates and patches lose their answers and that a create stalls.
//!
//! At the end the faults stop and sync runs until a run has nothing left to finish; then:
//! - **lost**: a catalogue key without an ad on the server, or whose ad does not hold the
//!   catalogue's title, price and images, or a removed key whose ad is still there;
//! - **duplicated**: a key with more than one ad (each ad's description names its key);
//! - **state disagreements**: a key whose state record does not name its ad on the server or
//!   does not carry the fingerprint of its catalogue entry, or a state index that is not the
//!   catalogue's keys.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use sellkit::marktplaats::sync::{fingerprint, Catalogue, SyncAction, SyncOptions};
use sellkit::marktplaats::Client;
use sellkit::store::Store;
use sellkit_simulator::{Fault, FaultAction, RandomFaults, Simulator};
use serde_json::{json, Value};

const CREATE: &str = "POST /v1/advertisements";
const PATCH: &str = "PATCH /v1/advertisements/{itemId}";
const DELETE: &str = "DELETE /v1/advertisements/{itemId}";
const IMAGES: &str = "POST /v1/advertisements/{itemId}/images";
const TOKEN: &str = "POST /accounts/oauth/token";
const AUTHORIZE: &str = "GET /accounts/oauth/authorize";
const REDIRECT: &str = "https://app.example.com/callback";
const PLATFORM: &str = "marktplaats";

/// What a sync soak does.
#[derive(Debug, Clone)]
pub struct SyncConfig {
    /// Sync runs under faults (the settling runs at the end come on top).
    pub runs: usize,
    /// Keys in the catalogue at the start.
    pub products: usize,
    pub fault_rate: f64,
    pub seed: u64,
    /// The client's per-request timeout; stalls are held longer.
    pub timeout: Duration,
    /// Ads applied at once by each run.
    pub concurrency: usize,
}

impl Default for SyncConfig {
    fn default() -> Self {
        SyncConfig { runs: 30, products: 120, fault_rate: 0.12, seed: 20261203, timeout: Duration::from_secs(2), concurrency: 8 }
    }
}

/// The figures of a sync soak.
#[derive(Debug, Clone, Default)]
pub struct SyncReport {
    pub runs: u64,
    /// Runs after the faults stopped, until nothing was left to finish.
    pub settling_runs: u64,
    /// Catalogue edits between runs.
    pub edits: u64,
    /// Items reported per action, over all runs.
    pub actions: BTreeMap<String, u64>,
    /// Requests the server received.
    pub creates_sent: u64,
    pub patches_sent: u64,
    pub deletes_sent: u64,
    pub image_requests_sent: u64,
    pub requests: u64,
    pub faults: BTreeMap<String, u64>,
    pub token_expiries: u64,
    /// Keys at the end, and ads on the server.
    pub keys: u64,
    pub ads: u64,
    pub lost: u64,
    pub duplicated: u64,
    pub state_disagreements: u64,
    pub problems: Vec<String>,
    pub elapsed: Duration,
}

impl SyncReport {
    pub fn faults_total(&self) -> u64 {
        self.faults.values().sum()
    }
    /// Nothing lost, nothing duplicated, the state as the server.
    pub fn is_clean(&self) -> bool {
        self.lost == 0 && self.duplicated == 0 && self.state_disagreements == 0
    }
}

impl fmt::Display for SyncReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "sync soak: {} runs under faults (+{} settling) in {:.1} s", self.runs, self.settling_runs, self.elapsed.as_secs_f64())?;
        writeln!(f, "  catalogue edits                {}", self.edits)?;
        writeln!(f, "  items by action (all runs):")?;
        for (a, n) in &self.actions {
            writeln!(f, "    {a:<28} {n}")?;
        }
        writeln!(f, "  creates sent                   {}", self.creates_sent)?;
        writeln!(f, "  patches sent                   {}", self.patches_sent)?;
        writeln!(f, "  deletes sent                   {}", self.deletes_sent)?;
        writeln!(f, "  image requests sent            {}", self.image_requests_sent)?;
        writeln!(f, "  requests                       {}", self.requests)?;
        writeln!(f, "  faults injected                {}", self.faults_total())?;
        for (kind, n) in &self.faults {
            writeln!(f, "    {kind:<28} {n}")?;
        }
        writeln!(f, "  token expiries forced          {}", self.token_expiries)?;
        writeln!(f, "  keys / ads at the end          {} / {}", self.keys, self.ads)?;
        writeln!(f, "  lost                           {}", self.lost)?;
        writeln!(f, "  duplicated                     {}", self.duplicated)?;
        writeln!(f, "  state disagreements            {}", self.state_disagreements)?;
        for p in &self.problems {
            writeln!(f, "  PROBLEM: {p}")?;
        }
        Ok(())
    }
}

fn product(key: &str, rng: &mut fastrand::Rng) -> Value {
    json!({
        "categoryId": 35,
        "title": format!("Cd player {key}"),
        // The key in the description lets the check find each key's ads on the server.
        "description": format!("Product {key}: plays every cd"),
        "condition": "Nieuw",
        "priceModel": {"modelType": "fixed", "askingPrice": rng.i64(100..100_000)},
        "location": {"postcode": "1097DN"},
    })
}

/// Change a share of the catalogue: prices, titles, images; remove some keys and add new ones.
fn edit(cat: &mut Catalogue, next_key: &mut usize, rng: &mut fastrand::Rng) -> u64 {
    let mut edits = 0;
    let keys: Vec<String> = cat.entries().iter().map(|(k, _)| k.clone()).collect();
    for key in keys {
        let roll = rng.u32(0..100);
        let Some(ad) = cat.get_mut(&key) else { continue };
        match roll {
            0..=14 => ad["priceModel"]["askingPrice"] = json!(rng.i64(100..100_000)),
            15..=19 => ad["title"] = json!(format!("Cd player {key} v{}", rng.u32(2..1000))),
            20..=24 => ad["images"] = json!((0..rng.usize(1..4)).map(|i| format!("https://img.example/{key}/{}-{i}.jpg", rng.u32(..))).collect::<Vec<_>>()),
            25..=27 => {
                cat.remove(&key);
            }
            _ => continue,
        }
        edits += 1;
    }
    for _ in 0..2 {
        *next_key += 1;
        let key = format!("sku-{next_key}");
        cat.insert(key.clone(), product(&key, rng));
        edits += 1;
    }
    edits
}

/// Run the sync soak.
///
/// # Errors
///
/// When the simulator or the client cannot be set up, or a run fails as a whole (a state
/// store error, say).
pub async fn run_sync(cfg: &SyncConfig) -> Result<SyncReport, String> {
    let started = Instant::now();
    let sim = Simulator::start(Default::default()).map_err(|e| format!("starting the simulator: {e}"))?;
    sim.set_mp_token_lifetime(20);
    sim.set_mp_refresh_rotation(true);
    let client = Client::builder()
        .platform_name(PLATFORM)
        .base_url(sim.marktplaats_url(PLATFORM))
        .client_id(sim.mp_client_id())
        .client_secret(sim.mp_client_secret())
        .timeout(cfg.timeout)
        .build()
        .map_err(|e| e.to_string())?;
    let (url, _) = client.authorization_url(REDIRECT, None, None).map_err(|e| e.to_string())?;
    let (code, _) = sim.mp_approve(&url)?;
    client.exchange_code(&code, REDIRECT).await.map_err(|e| e.to_string())?;

    // The state in a file, as the command keeps it.
    let dir = std::env::temp_dir().join(format!("sellkit-sync-soak-{}-{}", std::process::id(), cfg.seed));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let state_url = format!("file://{}", dir.join("state.json").display());
    let state: Arc<dyn Store> = sellkit::store::open("state", &state_url).map_err(|e| e.to_string())?;
    let options = SyncOptions { delete_missing: true, concurrency: cfg.concurrency, ..SyncOptions::new(state.clone()) };

    let mut rng = fastrand::Rng::with_seed(cfg.seed);
    let mut cat = Catalogue::new();
    for i in 1..=cfg.products {
        let key = format!("sku-{i}");
        cat.insert(key.clone(), product(&key, &mut rng));
    }
    let mut next_key = cfg.products;
    let mut report = SyncReport::default();
    let stall = cfg.timeout + Duration::from_millis(500);
    let status = |status, retry_after: Option<&str>| FaultAction::Status { status, retry_after: retry_after.map(str::to_owned) };
    sim.reset_counters();
    sim.set_random_faults(Some(RandomFaults {
        rate: cfg.fault_rate,
        actions: vec![
            (status(503, None), 3),
            (status(429, Some("1")), 1),
            (FaultAction::DropBeforeProcessing, 2),
            (FaultAction::DropAfterProcessing, 3),
            (FaultAction::Stall(stall), 1),
            (FaultAction::Truncate, 1),
        ],
        seed: cfg.seed,
        // As in the main soak: a lost answer to a rotating refresh cannot be recovered by anyone.
        exempt: vec![TOKEN.into(), AUTHORIZE.into()],
    }))
    .map_err(|e| e.to_string())?;

    let record = |report: &mut SyncReport, r: &sellkit::marktplaats::sync::SyncResult| {
        for i in r.entries() {
            *report.actions.entry(i.action.as_ref().map(|a| a.as_str().to_owned()).unwrap_or_default()).or_default() += 1;
        }
    };
    for run in 0..cfg.runs {
        if run > 0 {
            report.edits += edit(&mut cat, &mut next_key, &mut rng);
        }
        // Every few runs: lost answers on a create and a patch, a stalled create, and every
        // token expired in the middle of the run.
        let expire_mid_run = run % 3 == 1;
        if run % 3 == 0 {
            sim.inject(CREATE, Fault::drop_after(1)).map_err(|e| e.to_string())?;
            sim.inject(PATCH, Fault::drop_after(1)).map_err(|e| e.to_string())?;
        }
        if run % 5 == 2 {
            sim.inject(CREATE, Fault { count: 1, action: FaultAction::Stall(stall) }).map_err(|e| e.to_string())?;
        }
        let ads = client.ads();
        let sync = ads.sync(&cat, &options);
        let result = if expire_mid_run {
            let expire = async {
                tokio::time::sleep(Duration::from_millis(50)).await;
                sim.expire_all_tokens();
            };
            let (r, ()) = tokio::join!(sync, expire);
            report.token_expiries += 1;
            r
        } else {
            sync.await
        };
        let result = result.map_err(|e| format!("run {run}: {e}"))?;
        record(&mut report, &result);
        report.runs += 1;
    }

    // Settle: no more faults; runs until one has nothing to finish.
    sim.set_random_faults(None).map_err(|e| e.to_string())?;
    sim.clear_faults();
    report.faults = sim.injected_faults();
    for _ in 0..3 {
        let r = client.ads().sync(&cat, &options).await.map_err(|e| format!("settling: {e}"))?;
        record(&mut report, &r);
        report.settling_runs += 1;
        if r.count(SyncAction::Failed) == 0 && r.count(SyncAction::Created) + r.count(SyncAction::Updated) + r.count(SyncAction::Deleted) == 0 {
            break;
        }
    }
    report.creates_sent = sim.request_count(CREATE);
    report.patches_sent = sim.request_count(PATCH);
    report.deletes_sent = sim.request_count(DELETE);
    report.image_requests_sent = sim.request_count(IMAGES);
    report.requests = sim.request_counts().values().sum();

    check(&sim, &cat, &*state, &mut report).await;
    let _ = std::fs::remove_dir_all(&dir);
    report.elapsed = started.elapsed();
    Ok(report)
}

/// Compare the server's ads, the catalogue and the state store.
async fn check(sim: &Simulator, cat: &Catalogue, state: &dyn Store, report: &mut SyncReport) {
    let ads = sim.mp_ads(PLATFORM);
    report.ads = ads.len() as u64;
    report.keys = cat.len() as u64;
    let mut by_key: BTreeMap<String, Vec<&Value>> = BTreeMap::new();
    for ad in &ads {
        let key = ad["description"].as_str().and_then(|d| d.strip_prefix("Product ")).and_then(|d| d.split(':').next()).unwrap_or("?");
        by_key.entry(key.to_owned()).or_default().push(ad);
    }
    for (key, found) in &by_key {
        if found.len() > 1 {
            report.duplicated += found.len() as u64 - 1;
            report.problems.push(format!("{key}: {} ads", found.len()));
        }
        if cat.get(key).is_none() {
            report.lost += 1;
            report.problems.push(format!("{key}: removed from the catalogue, its ad is still there"));
        }
    }
    let index: Vec<String> = state
        .get("sync", &format!("{PLATFORM}/index"))
        .await
        .ok()
        .flatten()
        .and_then(|e| serde_json::from_value(e.value["keys"].clone()).ok())
        .unwrap_or_default();
    let mut wanted: Vec<String> = cat.entries().iter().map(|(k, _)| k.clone()).collect();
    let mut indexed = index.clone();
    wanted.sort();
    indexed.sort();
    if wanted != indexed {
        report.state_disagreements += 1;
        report.problems.push(format!("the state index has {} keys, the catalogue {}", indexed.len(), wanted.len()));
    }
    for (key, want) in cat.entries() {
        let Some(found) = by_key.get(key).and_then(|f| f.first()) else {
            report.lost += 1;
            report.problems.push(format!("{key}: no ad on the server"));
            continue;
        };
        let item_id = found["itemId"].as_str().unwrap_or_default();
        let images: Vec<String> = want.get("images").and_then(|i| serde_json::from_value(i.clone()).ok()).unwrap_or_default();
        let on_server = sim.mp_ad_image_urls(PLATFORM, item_id).unwrap_or_default();
        if found["title"] != want["title"] || found["priceModel"]["askingPrice"] != want["priceModel"]["askingPrice"] || on_server != images {
            report.lost += 1;
            report.problems.push(format!("{key}: the ad {item_id} does not hold the catalogue's title, price or images"));
        }
        let rec = state.get("sync", &format!("{PLATFORM}/item/{key}")).await.ok().flatten().map(|e| e.value);
        let mut ad = want.clone();
        if let Some(m) = ad.as_object_mut() {
            m.remove("images");
        }
        let agrees = rec.as_ref().is_some_and(|r| r["itemId"] == item_id && r["fingerprint"] == fingerprint(&ad, &images).as_str());
        if !agrees {
            report.state_disagreements += 1;
            report.problems.push(format!("{key}: the state does not name the ad {item_id} with its fingerprint"));
        }
    }
}
