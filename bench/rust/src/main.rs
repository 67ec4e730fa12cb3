//! The Rust side of the benchmark suite: sellkit's core (through the same catalogue the Python
//! and Node bindings call) vs plain reqwest on the same simulator, and sellkit::patch vs the
//! json-patch crate. Prints one line per scenario and writes `rust.json` into BENCH_RESULTS.
//!
//! Usage: sellkit-bench http | patch DOCS_DIR

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Instant;

use serde_json::{json, Value};

type Fut = Pin<Box<dyn Future<Output = usize> + Send>>;
type Contender = (String, Arc<dyn Fn() -> Fut + Send + Sync>);

const CONC: usize = 64;
const PAGE: usize = 100;
const N_LIST: usize = 2000;
const REDIRECT: &str = "https://app.example.com/callback";

struct Settings {
    rounds: usize,
    min_time: f64,
    out: String,
}

fn settings() -> Settings {
    let quick = std::env::var("BENCH_QUICK").as_deref() == Ok("1");
    let env = |k: &str, d: &str| std::env::var(k).unwrap_or_else(|_| d.to_owned());
    Settings {
        rounds: env("BENCH_ROUNDS", if quick { "3" } else { "7" }).parse().unwrap(),
        min_time: env("BENCH_MIN_TIME", if quick { "0.08" } else { "0.25" }).parse().unwrap(),
        out: env("BENCH_RESULTS", concat!(env!("CARGO_MANIFEST_DIR"), "/../results")),
    }
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let m = xs.len() / 2;
    if xs.len() % 2 == 1 { xs[m] } else { (xs[m - 1] + xs[m]) / 2.0 }
}

/// Every round runs every contender once (rotating and reversing the order); ops/s medians.
async fn interleave(s: &Settings, contenders: &[Contender]) -> Vec<(String, f64, Vec<f64>)> {
    for (_, f) in contenders {
        f().await;
    }
    let mut samples = vec![Vec::new(); contenders.len()];
    let n = contenders.len();
    for r in 0..s.rounds {
        let mut order: Vec<usize> = (0..n).map(|i| (i + r) % n).collect();
        if r % 2 == 1 {
            order.reverse();
        }
        for i in order {
            let t0 = Instant::now();
            let mut ops = 0;
            loop {
                ops += (contenders[i].1)().await;
                if t0.elapsed().as_secs_f64() >= s.min_time {
                    break;
                }
            }
            samples[i].push(ops as f64 / t0.elapsed().as_secs_f64());
        }
    }
    contenders.iter().zip(samples).map(|((name, _), s)| (name.clone(), median(s.clone()), s)).collect()
}

struct Out {
    rows: Vec<Value>,
}

impl Out {
    fn add(&mut self, section: &str, scenario: &str, m: Vec<(String, f64, Vec<f64>)>, extra: &[(&str, Value)]) {
        let base = m[0].1;
        let mut cells = Vec::new();
        for (i, (name, med, samples)) in m.iter().enumerate() {
            let mut row = json!({"section": section, "scenario": scenario, "contender": name, "median": med, "unit": "ops/s", "samples": samples});
            let mut note = String::new();
            if let Some((_, e)) = extra.iter().find(|(n, _)| n == name) {
                for (k, v) in e.as_object().unwrap() {
                    row[k] = v.clone();
                }
                if let Some(ok) = e.get("ok").and_then(Value::as_bool) {
                    note = if ok { " ok".into() } else { " WRONG".into() };
                }
            }
            self.rows.push(row);
            let ratio = if i == 0 { String::new() } else { format!(" ({} {:.2}x)", m[0].0, base / med) };
            cells.push(format!("{name} {med:.1}{note}{ratio}"));
        }
        println!("  [{section}] {scenario}: {}", cells.join(" | "));
    }
}

fn packages(tag: &str) -> Value {
    Value::Array(
        (0..50)
            .map(|i| json!({"name": format!("Bench {tag} {i}"), "type": "extension", "platform": "M2", "version": format!("1.0.{i}"),
                "sku": format!("bench/{tag}"), "prices": [{"edition": "CE", "currency_code": "USD", "price": "15.50"}]}))
            .collect(),
    )
}

fn boxed<F, Fu>(f: F) -> Arc<dyn Fn() -> Fut + Send + Sync>
where
    F: Fn() -> Fu + Send + Sync + 'static,
    Fu: Future<Output = ()> + Send + 'static,
{
    Arc::new(move || {
        let fu = f();
        Box::pin(async move {
            fu.await;
            1
        })
    })
}

fn gathered(f: Arc<dyn Fn() -> Fut + Send + Sync>, burst: usize) -> Arc<dyn Fn() -> Fut + Send + Sync> {
    Arc::new(move || {
        let f = f.clone();
        Box::pin(async move {
            let next = Arc::new(AtomicUsize::new(0));
            let workers = (0..CONC).map(|_| {
                let (f, next) = (f.clone(), next.clone());
                tokio::spawn(async move {
                    while next.fetch_add(1, Ordering::Relaxed) < burst {
                        f().await;
                    }
                })
            });
            for w in workers.collect::<Vec<_>>() {
                w.await.unwrap();
            }
            burst
        })
    })
}

async fn http(s: &Settings, out: &mut Out) {
    let sim = sellkit_simulator::Simulator::start(Default::default()).unwrap();
    let eqp = sim.eqp_url();
    let sk = sellkit::eqp::Client::builder()
        .app_id(sim.eqp_app_id())
        .app_secret(sim.eqp_app_secret())
        .base_url(eqp.clone())
        .build()
        .unwrap();
    for k in 0..N_LIST / 50 {
        sellkit::catalogue::EQP.call_json(&sk, "packages.create", json!({"items": packages(&format!("seed{k}"))})).await.unwrap();
    }
    assert_eq!(sim.eqp_package_count(), N_LIST);
    let mpurl = sim.marktplaats_url("marktplaats");
    let mp = sellkit::marktplaats::Client::builder()
        .platform_name("marktplaats")
        .base_url(mpurl.clone())
        .client_id(sellkit_simulator::MP_CLIENT_ID)
        .client_secret(sellkit_simulator::MP_CLIENT_SECRET)
        .build()
        .unwrap();
    let (auth_url, _state) = mp.authorization_url(REDIRECT, None, None).unwrap();
    let noredirect = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let loc = noredirect.get(&auth_url).send().await.unwrap().headers()["location"].to_str().unwrap().to_owned();
    let code = url_param(&loc, "code");
    let tokens = mp.exchange_code(&code, REDIRECT).await.unwrap();
    let mp_token = tokens.access_token.expose().to_owned();
    let ad = sellkit::catalogue::MARKTPLAATS.call_json(&mp, "ads.create", json!({"ad": {"categoryId": 35, "title": "Bench cd player",
        "description": "This is an awesome cd-player", "condition": "Nieuw", "brand": "Sony", "properties": "Draagbaar",
        "delivery": "Ophalen", "priceModel": {"modelType": "fixed", "askingPrice": 3241}, "location": {"postcode": "1097DN"}}}))
    .await
    .unwrap()
    .into_json()
    .unwrap();
    let item = ad["itemId"].as_str().unwrap().to_owned();

    // Plain reqwest, the way a user writes it: a session token once, then Bearer + JSON.
    let rq = reqwest::Client::new();
    let ust: Value = rq
        .post(format!("{eqp}/rest/v1/app/session/token"))
        .basic_auth(sim.eqp_app_id(), Some(sim.eqp_app_secret()))
        .json(&json!({"grant_type": "session"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let bearer = format!("Bearer {}", ust["ust"].as_str().unwrap());
    let user_url = format!("{eqp}/rest/v1/users/{}", sim.eqp_mage_id());
    let pkg_url = format!("{eqp}/rest/v1/products/packages");
    let ad_url = format!("{mpurl}/v1/advertisements/{item}");
    let batch = Arc::new(packages("post"));
    let counter = Arc::new(AtomicUsize::new(0));
    let ops = {
        let counter = counter.clone();
        Arc::new(move || json!([{"op": "replace", "path": "/title", "value": format!("Bench cd player {}", counter.fetch_add(1, Ordering::Relaxed) % 1000)}]))
    };

    let sk = Arc::new(sk);
    let mp = Arc::new(mp);
    let mut table: Vec<(&str, Vec<Contender>)> = Vec::new();
    {
        let c = sk.clone();
        let get_sk = boxed(move || {
            let c = c.clone();
            async move {
                sellkit::catalogue::EQP.call_json(&c, "users.get", json!({})).await.unwrap();
            }
        });
        let (rq2, b, u) = (rq.clone(), bearer.clone(), user_url.clone());
        let get_rq = boxed(move || {
            let req = rq2.get(&u).header("authorization", &b);
            async move {
                let _: Value = req.send().await.unwrap().error_for_status().unwrap().json().await.unwrap();
            }
        });
        table.push(("get", vec![("sellkit".into(), get_sk), ("reqwest".into(), get_rq)]));
    }
    {
        let c = sk.clone();
        let list_sk = boxed(move || {
            let c = c.clone();
            async move {
                let all = sellkit::catalogue::EQP.list_json(&c, "packages.list", json!({"page_size": PAGE})).unwrap().collect_all().await.unwrap();
                assert_eq!(all.len(), N_LIST);
            }
        });
        let (rq2, b, u) = (rq.clone(), bearer.clone(), pkg_url.clone());
        let list_rq = boxed(move || {
            let (rq2, b, u) = (rq2.clone(), b.clone(), u.clone());
            async move {
                let mut items: Vec<Value> = Vec::new();
                let mut offset = 0;
                loop {
                    let page: Vec<Value> = rq2
                        .get(&u)
                        .query(&[("offset", offset), ("limit", PAGE)])
                        .header("authorization", &b)
                        .send()
                        .await
                        .unwrap()
                        .error_for_status()
                        .unwrap()
                        .json()
                        .await
                        .unwrap();
                    let len = page.len();
                    items.extend(page);
                    if len < PAGE {
                        break;
                    }
                    offset += PAGE;
                }
                assert_eq!(items.len(), N_LIST);
            }
        });
        table.push(("list2000", vec![("sellkit".into(), list_sk), ("reqwest".into(), list_rq)]));
    }
    {
        let (m, ops2, it) = (mp.clone(), ops.clone(), item.clone());
        let patch_sk = boxed(move || {
            let (m, body) = (m.clone(), json!({"item_id": it, "ops": ops2()}));
            async move {
                sellkit::catalogue::MARKTPLAATS.call_json(&m, "ads.patch", body).await.unwrap();
            }
        });
        let (rq2, tok, u, ops3) = (rq.clone(), mp_token.clone(), ad_url.clone(), ops.clone());
        let patch_rq = boxed(move || {
            let req = rq2
                .patch(&u)
                .bearer_auth(&tok)
                .header("accept", "application/hal+json, application/json")
                .header("content-type", "application/json-patch+json")
                .body(serde_json::to_vec(&ops3()).unwrap());
            async move {
                let _: Value = req.send().await.unwrap().error_for_status().unwrap().json().await.unwrap();
            }
        });
        table.push(("patch", vec![("sellkit".into(), patch_sk), ("reqwest".into(), patch_rq)]));
    }
    {
        let (c, bt) = (sk.clone(), batch.clone());
        let post_sk = boxed(move || {
            // The caller's own copy of the batch, as any call that hands over its arguments
            // makes (`json!` would serialise it into a new tree instead).
            let mut args = serde_json::Map::new();
            args.insert("items".into(), (*bt).clone());
            let (c, args) = (c.clone(), Value::Object(args));
            async move {
                sellkit::catalogue::EQP.call_json(&c, "packages.create", args).await.unwrap();
            }
        });
        let (rq2, b, u, bt) = (rq.clone(), bearer.clone(), pkg_url.clone(), batch.clone());
        let post_rq = boxed(move || {
            let req = rq2.post(&u).header("authorization", &b).json(&*bt);
            async move {
                let _: Value = req.send().await.unwrap().error_for_status().unwrap().json().await.unwrap();
            }
        });
        table.push(("post50", vec![("sellkit".into(), post_sk), ("reqwest".into(), post_rq)]));
    }
    let burst = |op: &str| if op == "get" || op == "patch" { 256 } else { 64 };
    // BENCH_ONLY=get (comma-separated) runs only those operations, for profiling.
    let only = std::env::var("BENCH_ONLY").ok();
    for (op, contenders) in table {
        if only.as_deref().is_some_and(|o| !o.split(',').any(|x| x == op)) {
            continue;
        }
        out.add("rust-seq", op, interleave(s, &contenders).await, &[]);
        if op != "list2000" {
            let conc: Vec<Contender> = contenders.iter().map(|(n, f)| (n.clone(), gathered(f.clone(), burst(op)))).collect();
            out.add("rust-64", op, interleave(s, &conc).await, &[]);
        }
    }
    // For the ceiling measured by wrk (scripts/bench): the same simulator, the same kind of token.
    drop(sim);
}

fn url_param(url: &str, key: &str) -> String {
    let query = url.split_once('?').map(|(_, q)| q).unwrap_or("");
    query.split('&').find_map(|kv| kv.strip_prefix(&format!("{key}="))).unwrap().to_owned()
}

async fn patch(s: &Settings, out: &mut Out, docs: &str) {
    for size in ["1KB", "100KB", "1MB"] {
        let d: Value = serde_json::from_str(&std::fs::read_to_string(format!("{docs}/{size}.json")).unwrap()).unwrap();
        let (old, new) = (Arc::new(d["old"].clone()), Arc::new(d["new"].clone()));
        let ref_sk = Arc::new(sellkit::patch::parse(&d["ops"]).unwrap());
        let ref_jp: Arc<json_patch::Patch> = Arc::new(serde_json::from_value(d["ops"].clone()).unwrap());
        // Correctness beside the time.
        let sk_ops = sellkit::patch::diff(&old, &new);
        let jp_ops = json_patch::diff(&old, &new);
        let jp_apply = |doc: &Value, p: &json_patch::Patch| {
            let mut d = doc.clone();
            json_patch::patch(&mut d, p).map(|_| d).ok()
        };
        let ok_diff_sk = sellkit::patch::apply(&old, &sk_ops).ok().as_ref() == Some(&*new);
        let ok_diff_jp = jp_apply(&old, &jp_ops).as_ref() == Some(&*new);
        let ok_apply_sk = sellkit::patch::apply(&old, &ref_sk).ok().as_ref() == Some(&*new);
        let ok_apply_jp = jp_apply(&old, &ref_jp).as_ref() == Some(&*new);
        let sync = |f: Arc<dyn Fn() + Send + Sync>| -> Arc<dyn Fn() -> Fut + Send + Sync> {
            Arc::new(move || {
                f();
                Box::pin(async { 1 })
            })
        };
        let (o1, n1, o2, n2) = (old.clone(), new.clone(), old.clone(), new.clone());
        let diff = vec![
            ("sellkit".to_owned(), sync(Arc::new(move || drop(std::hint::black_box(sellkit::patch::diff(&o1, &n1)))))),
            ("json-patch".to_owned(), sync(Arc::new(move || drop(std::hint::black_box(json_patch::diff(&o2, &n2)))))),
        ];
        out.add("patch-diff", size, interleave(s, &diff).await, &[
            ("sellkit", json!({"ok": ok_diff_sk, "ops": sk_ops.len()})),
            ("json-patch", json!({"ok": ok_diff_jp, "ops": jp_ops.0.len()})),
        ]);
        let (o1, o2, r1, r2) = (old.clone(), old.clone(), ref_sk.clone(), ref_jp.clone());
        let apply = vec![
            ("sellkit".to_owned(), sync(Arc::new(move || drop(std::hint::black_box(sellkit::patch::apply(&o1, &r1).unwrap()))))),
            ("json-patch".to_owned(), sync(Arc::new(move || {
                let mut d = (*o2).clone();
                json_patch::patch(&mut d, &r2).unwrap();
                drop(std::hint::black_box(d));
            }))),
        ];
        out.add("patch-apply", size, interleave(s, &apply).await, &[("sellkit", json!({"ok": ok_apply_sk})), ("json-patch", json!({"ok": ok_apply_jp}))]);
    }
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let s = settings();
    let mut out = Out { rows: Vec::new() };
    let name = match args.get(1).map(String::as_str) {
        Some("http") => {
            http(&s, &mut out).await;
            "rust_http"
        }
        Some("patch") => {
            patch(&s, &mut out, &args[2]).await;
            "rust_patch"
        }
        _ => {
            eprintln!("usage: sellkit-bench http | patch DOCS_DIR");
            std::process::exit(2);
        }
    };
    std::fs::create_dir_all(&s.out).unwrap();
    std::fs::write(format!("{}/{name}.json", s.out), serde_json::to_string_pretty(&out.rows).unwrap()).unwrap();
}
