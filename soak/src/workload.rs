//! The clients, the mixed workload, and the reconciliation with the simulator's state.

use std::collections::BTreeMap;
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use base64::Engine as _;
use futures_util::FutureExt;
use sellkit::eqp::{self, BatchOptions, ListOptions, Model, Package, PackageFilter, UploadSource};
use sellkit::marktplaats;
use sellkit::ErrorKind;
use sellkit_simulator::{FaultAction, RandomFaults, Simulator, SimulatorConfig};
use serde_json::{json, Value};

use crate::ledger::{tally, Outcome, Tracked, Verdict};
use crate::{Config, Report};

const EQP_TOKEN_ROUTE: &str = "POST /rest/v1/app/session/token";
const MP_TOKEN_ROUTE: &str = "POST /accounts/oauth/token";
const MP_AUTHORIZE_ROUTE: &str = "GET /accounts/oauth/authorize";
const REDIRECT: &str = "https://app.example.com/callback";
/// The Marktplaats platforms the workload places ads on (each has its own client and login).
const PLATFORMS: [&str; 2] = ["marktplaats", "2dehands"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    EqpUpload,
    EqpCreate,
    EqpUpdate,
    EqpList,
    MpCreate,
    MpPatch,
    MpUpdateFrom,
    MpImages,
    MpList,
}

impl Op {
    /// The mix, by weight.
    const MIX: [(Op, u32); 9] = [
        (Op::EqpUpload, 1),
        (Op::EqpCreate, 2),
        (Op::EqpUpdate, 2),
        (Op::EqpList, 1),
        (Op::MpCreate, 3),
        (Op::MpPatch, 2),
        (Op::MpUpdateFrom, 2),
        (Op::MpImages, 2),
        (Op::MpList, 1),
    ];

    fn name(self) -> &'static str {
        match self {
            Op::EqpUpload => "eqp files.upload",
            Op::EqpCreate => "eqp packages.create",
            Op::EqpUpdate => "eqp packages.update",
            Op::EqpList => "eqp packages.list",
            Op::MpCreate => "mp ads.create",
            Op::MpPatch => "mp ads.patch",
            Op::MpUpdateFrom => "mp ads.update_from",
            Op::MpImages => "mp images.add",
            Op::MpList => "mp users.ads (list)",
        }
    }

    fn pick(rng: &mut fastrand::Rng) -> Op {
        let total: u32 = Op::MIX.iter().map(|(_, w)| w).sum();
        let mut n = rng.u32(0..total);
        for (op, w) in Op::MIX {
            if n < w {
                return op;
            }
            n -= w;
        }
        Op::MpCreate
    }
}

/// What one operation reported: its outcome and, for a failure, the error.
struct Done {
    outcome: Outcome,
    error: Option<sellkit::Error>,
    /// A per-item failure code of a batch that returned (EQP item codes).
    item_code: Option<i64>,
}

impl Done {
    fn of<T>(r: &sellkit::Result<T>) -> Done {
        Done { outcome: Outcome::of(r), error: r.as_ref().err().cloned(), item_code: None }
    }
    fn ok() -> Done {
        Done { outcome: Outcome::Done, error: None, item_code: None }
    }
}

#[derive(Default)]
struct Ledger {
    /// filename → outcome of its upload.
    files: BTreeMap<String, Outcome>,
    /// item_id → package.
    packages: BTreeMap<String, Tracked>,
    /// (platform index, title) → ad.
    ads: BTreeMap<(usize, String), Tracked>,
    /// Created objects no operation is using right now (an object is changed by one operation
    /// at a time, so that the values it may hold are known).
    idle_packages: Vec<String>,
    idle_ads: Vec<(usize, String)>,
}

struct World {
    sim: Simulator,
    eqp: eqp::Client,
    mp: Vec<marktplaats::Client>,
    ledger: Mutex<Ledger>,
    token_sets: Arc<AtomicU64>,
}

impl World {
    fn ledger(&self) -> std::sync::MutexGuard<'_, Ledger> {
        self.ledger.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn take_package(&self, rng: &mut fastrand::Rng) -> Option<String> {
        let mut l = self.ledger();
        (!l.idle_packages.is_empty()).then(|| {
            let i = rng.usize(0..l.idle_packages.len());
            l.idle_packages.swap_remove(i)
        })
    }

    fn take_ad(&self, rng: &mut fastrand::Rng) -> Option<(usize, String)> {
        let mut l = self.ledger();
        (!l.idle_ads.is_empty()).then(|| {
            let i = rng.usize(0..l.idle_ads.len());
            l.idle_ads.swap_remove(i)
        })
    }
}

/// Start a simulator, log the clients in, run the workload with faults, and compare. Returns
/// the report and the secrets (name, value) the caller should not find in the logs.
pub async fn run(cfg: &Config) -> Result<(Report, Vec<(String, String)>), String> {
    let started = Instant::now();
    let world = Arc::new(setup(cfg).await?);
    let sim = &world.sim;
    let stall = cfg.timeout + Duration::from_millis(500);
    let status = |status, retry_after: Option<&str>| FaultAction::Status { status, retry_after: retry_after.map(str::to_owned) };
    sim.reset_counters();
    sim.set_random_faults(Some(RandomFaults {
        rate: cfg.fault_rate,
        actions: vec![
            (status(503, None), 3),
            (status(503, Some("1")), 1),
            (status(429, Some("1")), 2),
            (FaultAction::DropBeforeProcessing, 2),
            (FaultAction::DropAfterProcessing, 2),
            (FaultAction::Stall(stall), 1),
            (FaultAction::Truncate, 2),
        ],
        seed: cfg.seed,
        // With refresh-token rotation, a refresh whose answer is lost leaves every client with
        // a spent refresh token (the server moved on to one the client never saw): no client
        // can recover that, so the token endpoint gets only answered faults (queued below).
        exempt: vec![MP_TOKEN_ROUTE.into(), MP_AUTHORIZE_ROUTE.into()],
    })).unwrap();

    let next = Arc::new(AtomicUsize::new(0));
    let forced = Arc::new(AtomicU64::new(0));
    let results: Arc<Mutex<Vec<(Op, Result<Done, String>)>>> = Arc::default();
    let mut workers = Vec::new();
    for _ in 0..cfg.concurrency.max(1) {
        let (world, next, forced, results, cfg) = (world.clone(), next.clone(), forced.clone(), results.clone(), cfg.clone());
        workers.push(tokio::spawn(async move {
            loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                if i >= cfg.operations {
                    break;
                }
                if i > 0 && cfg.expire_tokens_every > 0 && i % cfg.expire_tokens_every == 0 {
                    world.sim.expire_all_tokens();
                    // The refresh that follows meets a 503 first.
                    world.sim.fail_next(MP_TOKEN_ROUTE, 1, 503, None).unwrap();
                    forced.fetch_add(1, Ordering::SeqCst);
                }
                let mut rng = fastrand::Rng::with_seed(cfg.seed ^ (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
                let op = Op::pick(&mut rng);
                let done = AssertUnwindSafe(perform(&world, op, i, &mut rng)).catch_unwind().await.map_err(|p| {
                    p.downcast_ref::<&str>().map(|s| (*s).to_owned()).or_else(|| p.downcast_ref::<String>().cloned()).unwrap_or_default()
                });
                results.lock().unwrap_or_else(|p| p.into_inner()).push((op, done));
            }
        }));
    }
    for w in workers {
        w.await.map_err(|e| format!("a worker failed: {e}"))?;
    }
    sim.set_random_faults(None).unwrap();
    sim.clear_faults();

    let mut report = Report { clients: 1 + PLATFORMS.len() as u64, ..Report::default() };
    for (op, done) in results.lock().unwrap_or_else(|p| p.into_inner()).iter() {
        report.operations += 1;
        let entry = report.by_kind.entry(op.name()).or_default();
        match done {
            Err(panic) => {
                entry.1 += 1;
                report.untyped += 1;
                report.problems.push(format!("{}: panicked: {panic}", op.name()));
            }
            Ok(d) => {
                match d.outcome {
                    Outcome::Done => {
                        entry.0 += 1;
                        report.succeeded += 1;
                    }
                    Outcome::NotDone => {
                        entry.1 += 1;
                        report.failed_typed += 1;
                    }
                    Outcome::Unknown => {
                        entry.1 += 1;
                        report.failed_outcome_unknown += 1;
                    }
                }
                if let Some(e) = &d.error {
                    if e.kind() == ErrorKind::Internal {
                        report.untyped += 1;
                        report.problems.push(format!("{}: internal error: {e}", op.name()));
                    }
                    *report.failures_by_code.entry(e.code().to_owned()).or_default() += 1;
                } else if let Some(code) = d.item_code {
                    *report.failures_by_code.entry(format!("item code {code}")).or_default() += 1;
                }
            }
        }
    }

    let verdict = reconcile(&world);
    report.lost = verdict.lost;
    report.duplicated = verdict.duplicated;
    report.unknown_objects = verdict.unknown_objects;
    report.unknown_applied = verdict.unknown_applied;
    report.objects_checked = verdict.checked;
    report.problems.extend(verdict.problems);
    report.requests = sim.request_counts().values().sum();
    report.faults = sim.injected_faults();
    report.eqp_token_requests = sim.request_count(EQP_TOKEN_ROUTE);
    report.mp_token_requests = sim.request_count(MP_TOKEN_ROUTE);
    report.forced_expiries = forced.load(Ordering::SeqCst);
    report.mp_token_sets_seen = world.token_sets.load(Ordering::SeqCst);
    report.elapsed = started.elapsed();
    Ok((report, secrets(sim)))
}

async fn setup(cfg: &Config) -> Result<World, String> {
    let sim = Simulator::start(SimulatorConfig {
        eqp_max_token_lifetime: 30,
        eqp_scan_delay: Duration::from_millis(10),
        eqp_review_delay: None,
        ..Default::default()
    })
    .map_err(|e| format!("starting the simulator: {e}"))?;
    sim.set_mp_token_lifetime(20);
    sim.set_mp_refresh_rotation(true);
    let eqp = eqp::Client::builder()
        .app_id(sim.eqp_app_id())
        .app_secret(sim.eqp_app_secret())
        .base_url(sim.eqp_url())
        .timeout(cfg.timeout)
        .upload_timeout(cfg.timeout)
        .build()
        .map_err(|e| e.to_string())?;
    let token_sets = Arc::new(AtomicU64::new(0));
    let mut mp = Vec::new();
    for platform in PLATFORMS {
        let seen = token_sets.clone();
        let client = marktplaats::Client::builder()
            .platform_name(platform)
            .base_url(sim.marktplaats_url(platform))
            .client_id(sim.mp_client_id())
            .client_secret(sim.mp_client_secret())
            .timeout(cfg.timeout)
            .on_token(move |_| {
                seen.fetch_add(1, Ordering::SeqCst);
                Ok(())
            })
            .build()
            .map_err(|e| e.to_string())?;
        let (url, _state) = client.authorization_url(REDIRECT, None, None).map_err(|e| e.to_string())?;
        let (code, _) = sim.mp_approve(&url)?;
        client.exchange_code(&code, REDIRECT).await.map_err(|e| e.to_string())?;
        mp.push(client);
    }
    Ok(World { sim, eqp, mp, ledger: Mutex::default(), token_sets })
}

async fn perform(w: &World, op: Op, i: usize, rng: &mut fastrand::Rng) -> Done {
    match op {
        Op::EqpUpload => eqp_upload(w, i).await,
        Op::EqpCreate => eqp_create(w, i).await,
        Op::EqpUpdate => match w.take_package(rng) {
            Some(item_id) => eqp_update(w, i, item_id).await,
            None => eqp_create(w, i).await,
        },
        Op::EqpList => {
            let r = match w.eqp.packages().list_pages(&PackageFilter::new(), ListOptions { limit: Some(100), page_size: Some(50) }) {
                Ok(pages) => pages.collect_all().await,
                Err(e) => Err(e),
            };
            Done::of(&r)
        }
        Op::MpCreate => mp_create(w, i, rng.usize(0..PLATFORMS.len())).await,
        Op::MpPatch | Op::MpUpdateFrom | Op::MpImages => match w.take_ad(rng) {
            Some(ad) => mp_change(w, op, i, ad).await,
            None => mp_create(w, i, rng.usize(0..PLATFORMS.len())).await,
        },
        Op::MpList => {
            let client = &w.mp[rng.usize(0..PLATFORMS.len())];
            let r = match client.users().ads(None, Some(100), Some(50)) {
                Ok(pages) => pages.collect_all().await,
                Err(e) => Err(e),
            };
            Done::of(&r)
        }
    }
}

async fn eqp_upload(w: &World, i: usize) -> Done {
    let filename = format!("soak-{i}.zip");
    let content = format!("soak upload {i}\n").repeat(64);
    let r = w.eqp.files().upload(vec![UploadSource::bytes(filename.clone(), content.into_bytes())], None).await;
    let done = Done::of(&r);
    w.ledger().files.insert(filename, done.outcome);
    done
}

/// Three packages with unique item ids, in chunks of two (two POSTs).
async fn eqp_create(w: &World, i: usize) -> Done {
    let mut items = Vec::new();
    for k in 0..3 {
        let input = json!({"item_id": format!("soak-{i}-{k}"), "name": format!("Soak package {i}-{k}")});
        match Package::from_input(&input, "items") {
            Ok(p) => items.push(p),
            Err(e) => return Done::of::<()>(&Err(e)),
        }
    }
    let names: Vec<(String, String)> = items.iter().map(|p| (p.item_id.clone().unwrap_or_default(), p.name.clone().unwrap_or_default())).collect();
    let r = w.eqp.packages().create_with(items, BatchOptions { chunk_size: 2, concurrency: 2 }).await;
    let mut l = w.ledger();
    match r {
        Err(e) => {
            let outcome = Outcome::of_error(&e);
            for (item_id, name) in names {
                l.packages.insert(item_id, Tracked::new(outcome, None, &[("name", name)]));
            }
            Done { outcome, error: Some(e), item_code: None }
        }
        Ok(batch) => {
            let mut done = Done::ok();
            for (item, (item_id, name)) in batch.items.iter().zip(names) {
                let outcome = batch_item_outcome(item);
                let id = item.data.as_ref().and_then(|p| p.submission_id.clone());
                l.packages.insert(item_id.clone(), Tracked::new(outcome, id, &[("name", name)]));
                if outcome == Outcome::Done {
                    l.idle_packages.push(item_id);
                } else {
                    merge_failure(&mut done, item, outcome);
                }
            }
            done
        }
    }
}

async fn eqp_update(w: &World, i: usize, item_id: String) -> Done {
    let Some(submission_id) = w.ledger().packages.get(&item_id).and_then(|t| t.id.clone()) else {
        return Done::ok();
    };
    let name = format!("Soak package {item_id} v{i}");
    let input = json!({"submission_id": submission_id, "name": name});
    let r = match Package::from_input(&input, "items") {
        Ok(p) => w.eqp.packages().update(vec![p]).await,
        Err(e) => Err(e),
    };
    let (outcome, done) = match &r {
        Err(e) => (Outcome::of_error(e), Done::of(&r)),
        Ok(batch) => {
            let item = &batch.items[0];
            let outcome = batch_item_outcome(item);
            let mut done = Done::ok();
            if outcome != Outcome::Done {
                merge_failure(&mut done, item, outcome);
            }
            (outcome, done)
        }
    };
    let mut l = w.ledger();
    if let Some(t) = l.packages.get_mut(&item_id) {
        t.update("name", name, outcome);
    }
    l.idle_packages.push(item_id);
    done
}

fn batch_item_outcome(item: &sellkit::eqp::BatchItem<Package>) -> Outcome {
    if item.ok {
        Outcome::Done
    } else {
        item.error.as_ref().map(Outcome::of_error).unwrap_or(Outcome::NotDone)
    }
}

/// Fold a failed batch item into the operation's report (the first failure's error is kept;
/// an unknown outcome outranks a plain failure).
fn merge_failure(done: &mut Done, item: &sellkit::eqp::BatchItem<Package>, outcome: Outcome) {
    if done.outcome != Outcome::Unknown {
        done.outcome = outcome;
    }
    if done.error.is_none() && done.item_code.is_none() {
        done.error = item.error.clone();
        if item.error.is_none() {
            done.item_code = Some(item.code);
        }
    }
}

async fn mp_create(w: &World, i: usize, platform: usize) -> Done {
    let title = format!("Soak {i}");
    let price = 1000 + i as i64;
    let description = format!("Soak ad {i}");
    let ad = json!({
        "categoryId": 35, "title": title, "description": description,
        "condition": "Nieuw", "brand": "Sony", "properties": "Draagbaar", "delivery": "Ophalen",
        "priceModel": {"modelType": "fixed", "askingPrice": price}, "location": {"postcode": "1097DN"}
    });
    let r = w.mp[platform].ads().create_value(ad).await;
    let done = Done::of(&r);
    let id = r.ok().and_then(|v| v.get("itemId").and_then(Value::as_str).map(str::to_owned));
    let mut l = w.ledger();
    let mut tracked = Tracked::new(done.outcome, id, &[("price", price.to_string()), ("description", description)]);
    tracked.note = done.error.as_ref().map(|e| format!("{e} / {e:?}"));
    l.ads.insert((platform, title.clone()), tracked);
    if done.outcome == Outcome::Done {
        l.idle_ads.push((platform, title));
    }
    done
}

async fn mp_change(w: &World, op: Op, i: usize, (platform, title): (usize, String)) -> Done {
    let Some(item_id) = w.ledger().ads.get(&(platform, title.clone())).and_then(|t| t.id.clone()) else {
        return Done::ok();
    };
    let client = &w.mp[platform];
    let done = match op {
        Op::MpPatch => {
            let price = 2000 + i as i64;
            let ops = json!([{"op": "replace", "path": "/priceModel/askingPrice", "value": price}]);
            let r = client.ads().patch_value(&item_id, &ops).await;
            record_ad(w, platform, &title, |t, outcome| t.update("price", price.to_string(), outcome), &r)
        }
        Op::MpUpdateFrom => match client.ads().get_value(&item_id).await {
            // Nothing was asked to change yet.
            Err(e) => Done { outcome: Outcome::of_error(&e).min_effect(), error: Some(e), item_code: None },
            Ok(old) => {
                let description = format!("Soak ad {i} revised");
                let mut new = old.clone();
                new["description"] = Value::String(description.clone());
                let r = client.ads().update_from_value(&item_id, &old, &new).await;
                record_ad(w, platform, &title, |t, outcome| t.update("description", description, outcome), &r)
            }
        },
        _ => {
            let url = format!("https://img.example.com/soak/{i}.jpg");
            let r = client.images().add(&item_id, std::slice::from_ref(&url), false).await;
            record_ad(w, platform, &title, |t, outcome| t.children.push((url, outcome)), &r)
        }
    };
    w.ledger().idle_ads.push((platform, title));
    done
}

impl Outcome {
    /// A failed read changes nothing, whatever became of its request.
    fn min_effect(self) -> Outcome {
        match self {
            Outcome::Done => Outcome::Done,
            _ => Outcome::NotDone,
        }
    }
}

fn record_ad<T>(w: &World, platform: usize, title: &str, apply: impl FnOnce(&mut Tracked, Outcome), r: &sellkit::Result<T>) -> Done {
    let done = Done::of(r);
    if let Some(t) = w.ledger().ads.get_mut(&(platform, title.to_owned())) {
        apply(t, done.outcome);
    }
    done
}

/// Compare every object the clients reported on with the simulator's state.
fn reconcile(w: &World) -> Verdict {
    let sim = &w.sim;
    let l = w.ledger();
    let mut v = Verdict::default();

    let files = sim.eqp_files();
    let file_counts = tally(files.iter().filter_map(|f| f.get("filename").and_then(Value::as_str)));
    for (name, outcome) in &l.files {
        v.presence("EQP file", name, *outcome, file_counts.get(name.as_str()).copied().unwrap_or(0));
    }
    unexplained(&mut v, "EQP file", file_counts.keys().copied().filter(|k| k.starts_with("soak-")), |k| l.files.contains_key(k));

    let packages = sim.eqp_packages();
    let package_counts = tally(packages.iter().filter_map(|p| p.get("item_id").and_then(Value::as_str)));
    for (item_id, t) in &l.packages {
        let n = package_counts.get(item_id.as_str()).copied().unwrap_or(0);
        if v.presence("EQP package", item_id, t.created, n) {
            let server = packages.iter().find(|p| p.get("item_id").and_then(Value::as_str) == Some(item_id));
            let name = server.and_then(|p| p.get("name")).and_then(Value::as_str);
            v.field("EQP package", item_id, "name", &t.fields["name"], name);
        }
    }
    unexplained(&mut v, "EQP package", package_counts.keys().copied().filter(|k| k.starts_with("soak-")), |k| l.packages.contains_key(k));

    for (p, platform) in PLATFORMS.iter().enumerate() {
        let ads = sim.mp_ads(platform);
        let title_of = |a: &Value| a.get("title").and_then(Value::as_str).map(str::to_owned);
        let counts = tally(ads.iter().filter_map(|a| a.get("title").and_then(Value::as_str)));
        for ((_, title), t) in l.ads.iter().filter(|((tp, _), _)| *tp == p) {
            let name = format!("{platform} {title:?}");
            let n = counts.get(title.as_str()).copied().unwrap_or(0);
            if !v.presence_noted("Marktplaats ad", &name, t.created, n, t.note.as_deref()) {
                continue;
            }
            let Some(ad) = ads.iter().find(|a| title_of(a).as_deref() == Some(title.as_str())) else { continue };
            let price = ad.pointer("/priceModel/askingPrice").map(Value::to_string);
            v.field("Marktplaats ad", &name, "price", &t.fields["price"], price.as_deref());
            v.field("Marktplaats ad", &name, "description", &t.fields["description"], ad.get("description").and_then(Value::as_str));
            let item_id = ad.get("itemId").and_then(Value::as_str).unwrap_or_default();
            let urls = sim.mp_ad_image_urls(platform, item_id).unwrap_or_default();
            let url_counts = tally(urls.iter().map(String::as_str));
            for (url, outcome) in &t.children {
                v.presence("Marktplaats image", url, *outcome, url_counts.get(url.as_str()).copied().unwrap_or(0));
            }
        }
        let ours = counts.keys().copied().filter(|k| k.starts_with("Soak "));
        unexplained(&mut v, "Marktplaats ad", ours, |k| l.ads.contains_key(&(p, k.to_owned())));
    }
    v
}

/// Objects on the server that no operation reported on at all are lost too.
fn unexplained<'a>(v: &mut Verdict, kind: &str, keys: impl Iterator<Item = &'a str>, known: impl Fn(&str) -> bool) {
    for k in keys {
        if !known(k) {
            v.lost += 1;
            v.problems.push(format!("{kind} {k:?} exists on the server but no operation reported it"));
        }
    }
}

/// Every secret the clients held: credentials and each token the simulator issued.
fn secrets(sim: &Simulator) -> Vec<(String, String)> {
    let b64 = |id: &str, secret: &str| base64::engine::general_purpose::STANDARD.encode(format!("{id}:{secret}"));
    let mut out = vec![
        ("EQP app secret".to_owned(), sim.eqp_app_secret().to_owned()),
        ("EQP Basic credentials".to_owned(), b64(sim.eqp_app_id(), sim.eqp_app_secret())),
        ("Marktplaats client secret".to_owned(), sim.mp_client_secret().to_owned()),
        ("Marktplaats Basic credentials".to_owned(), b64(sim.mp_client_id(), sim.mp_client_secret())),
    ];
    out.extend(sim.issued_eqp_tokens().into_iter().enumerate().map(|(i, t)| (format!("EQP session token #{i}"), t)));
    out.extend(sim.issued_mp_tokens().into_iter().enumerate().map(|(i, t)| (format!("Marktplaats token #{i}"), t)));
    out
}
