//! Token stores: the store contract on memory, a file and a real Redis; clients sharing tokens
//! and back-offs through them against the simulator with refresh-token rotation and reuse
//! detection on; the store failing (Redis stopped and restarted, a file that cannot be written,
//! malformed data); and the login flow's loopback redirect.

mod mp_common;
mod redis_server;

use std::sync::Arc;
use std::time::{Duration, Instant};

use mp_common::builder;
use redis_server::RedisServer;
use sellkit::store::{self, Store};
use sellkit::ErrorKind;
use sellkit_simulator::{Simulator, SimulatorConfig};
use serde_json::json;

const ME_ROUTE: &str = "GET /v1/me";
const EQP_TOKEN_ROUTE: &str = "POST /rest/v1/app/session/token";

fn temp_store() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let url = url::Url::from_file_path(dir.path().join("tokens.json")).unwrap().to_string();
    (dir, url)
}

/// Everything a store promises, on `s`.
async fn contract(s: &dyn Store) {
    assert!(s.get("t", "a").await.unwrap().is_none());
    assert_eq!(s.put("t", "a", &json!({"x": 1}), None).await.unwrap(), 1);
    assert_eq!(s.put("t", "a", &json!({"x": 2}), None).await.unwrap(), 2);
    let e = s.get("t", "a").await.unwrap().unwrap();
    assert_eq!((e.value, e.version), (json!({"x": 2}), 2));
    // Compare-and-set: only over the version read; None means "no entry".
    assert_eq!(s.compare_and_set("t", "a", Some(1), &json!(3), None).await.unwrap(), None);
    assert_eq!(s.compare_and_set("t", "a", None, &json!(3), None).await.unwrap(), None);
    assert_eq!(s.compare_and_set("t", "a", Some(2), &json!(3), None).await.unwrap(), Some(3));
    assert_eq!(s.compare_and_set("t", "b", None, &json!("b"), None).await.unwrap(), Some(1));
    assert!(s.get("other", "a").await.unwrap().is_none(), "namespaces are apart");
    s.delete("t", "a").await.unwrap();
    assert!(s.get("t", "a").await.unwrap().is_none());
    // Entries with a lifetime go away.
    s.put("t", "short", &json!(1), Some(Duration::from_millis(150))).await.unwrap();
    assert!(s.get("t", "short").await.unwrap().is_some());
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(s.get("t", "short").await.unwrap().is_none());
    // Locks: one holder; only the holder renews or releases; a lease ends by itself.
    let l = s.try_lock("t", "k", Duration::from_millis(300)).await.unwrap().expect("free");
    assert!(s.try_lock("t", "k", Duration::from_secs(5)).await.unwrap().is_none());
    assert!(s.renew(&l, Duration::from_millis(300)).await.unwrap());
    tokio::time::sleep(Duration::from_millis(450)).await;
    assert!(!s.renew(&l, Duration::from_secs(1)).await.unwrap(), "the lease ended");
    let l2 = s.try_lock("t", "k", Duration::from_secs(5)).await.unwrap().expect("free after the lease");
    s.unlock(&l).await.unwrap(); // the old holder's release does nothing
    assert!(s.try_lock("t", "k", Duration::from_secs(5)).await.unwrap().is_none());
    s.unlock(&l2).await.unwrap();
    assert!(s.try_lock("t", "k", Duration::from_secs(5)).await.unwrap().is_some());
}

/// Many tasks incrementing one counter with compare-and-set: none is lost.
async fn no_lost_updates(s: Arc<dyn Store>) {
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let s = s.clone();
            tokio::spawn(async move {
                for _ in 0..10 {
                    loop {
                        let cur = s.get("c", "n").await.unwrap();
                        let n = cur.as_ref().and_then(|e| e.value.as_u64()).unwrap_or(0);
                        if s.compare_and_set("c", "n", cur.map(|e| e.version), &json!(n + 1), None).await.unwrap().is_some() {
                            break;
                        }
                    }
                }
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap();
    }
    assert_eq!(s.get("c", "n").await.unwrap().unwrap().value, json!(80));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_store_keeps_the_contract() {
    let memory = store::open("s", "memory:").unwrap();
    contract(memory.as_ref()).await;
    no_lost_updates(memory).await;

    let (_dir, url) = temp_store();
    let file = store::open("s", &url).unwrap();
    contract(file.as_ref()).await;
    no_lost_updates(file).await;

    let redis = RedisServer::start();
    let r = store::open("s", &redis.url()).unwrap();
    contract(r.as_ref()).await;
    no_lost_updates(r).await;
}

#[cfg(unix)]
#[tokio::test]
async fn the_file_store_is_private_and_replaced_whole() {
    use std::os::unix::fs::PermissionsExt;
    let (dir, url) = temp_store();
    let s = store::open("s", &url).unwrap();
    s.put("tokens", "k", &json!({"refresh": "x"}), None).await.unwrap();
    let path = dir.path().join("tokens.json");
    assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
    // Only the file and its lock file: the temporary file was renamed over it.
    let mut names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    names.sort();
    assert_eq!(names, ["tokens.json", "tokens.json.lock"]);
    // A stray temporary file from a crash mid-write changes nothing.
    std::fs::write(dir.path().join(".sellkit-store-crashed"), b"{\"half\": ").unwrap();
    assert_eq!(s.get("tokens", "k").await.unwrap().unwrap().value, json!({"refresh": "x"}));
}

#[tokio::test]
async fn malformed_data_is_an_error_naming_the_store_and_key_without_the_data() {
    let (dir, url) = temp_store();
    std::fs::write(dir.path().join("tokens.json"), b"{\"entries\": {\"tokens\": {\"k\": \"secret-looking-value\"}}}").unwrap();
    let s = store::open("s", &url).unwrap();
    let e = s.get("tokens", "k").await.unwrap_err();
    assert_eq!((e.kind(), e.code()), (ErrorKind::Decode, "store-malformed"), "{e}");
    assert!(e.message().contains("tokens/k") && e.message().contains("tokens.json"), "{e}");
    assert!(!e.message().contains("secret-looking-value"), "{e}");
    // A file that is not JSON at all is not overwritten.
    std::fs::write(dir.path().join("tokens.json"), b"not json: secret-looking-value").unwrap();
    let e = s.put("tokens", "k", &json!(1), None).await.unwrap_err();
    assert_eq!(e.code(), "store-malformed", "{e}");
    assert!(!e.message().contains("secret-looking-value"), "{e}");

    let redis = RedisServer::start();
    assert!(redis.command("SET sellkit:tokens:k secret-looking-value").contains("OK"));
    let r = store::open("s", &redis.url()).unwrap();
    let e = r.get("tokens", "k").await.unwrap_err();
    assert_eq!(e.code(), "store-malformed", "{e}");
    assert!(e.message().contains("tokens/k") && e.message().contains(&redis.url()), "{e}");
    assert!(redis.command("DEL sellkit:tokens:k").starts_with(':'));
    assert!(redis.command("HSET sellkit:tokens:k v 1 d secret-looking-value").starts_with(':'));
    let e = r.get("tokens", "k").await.unwrap_err();
    assert_eq!(e.code(), "store-malformed", "{e}");
    assert!(!e.message().contains("secret-looking-value"), "{e}");

    // A client reading such a record fails its call with that error.
    let sim = Simulator::start(Default::default()).unwrap();
    let client = sellkit::eqp::Client::builder()
        .app_id(sim.eqp_app_id())
        .app_secret(sim.eqp_app_secret())
        .base_url(sim.eqp_url())
        .token_store(redis.url())
        .build()
        .unwrap();
    let key = format!("sellkit:tokens:eqp/{}/{}", sim.eqp_url().trim_start_matches("http://"), sim.eqp_app_id());
    let reply = redis.command(&format!("HSET {key} v 1 d '{{\"generation\":\"x\"}}'"));
    assert!(reply.starts_with(':'), "{reply}");
    let e = client.users().get(None).await.unwrap_err();
    assert_eq!(e.code(), "store-malformed", "{e}");
    assert_eq!(sim.request_count(EQP_TOKEN_ROUTE), 0);
}

#[test]
fn bad_store_urls_name_the_setting() {
    let e = sellkit::eqp::Client::builder().app_id("a").app_secret("s").token_store("ftp://x").build().unwrap_err();
    assert_eq!(e.field(), Some("token_store"));
    let e = sellkit::marktplaats::Client::builder().token_store("file://relative.json").build().unwrap_err();
    assert_eq!(e.field(), Some("token_store"));
    let e = sellkit::marktplaats::Client::builder().token_store_user(" ").build().unwrap_err();
    assert_eq!(e.field(), Some("token_store_user"));
    assert!(sellkit::marktplaats::Client::builder().token_store("memory:").build().is_ok());
}

fn rotating_sim() -> Simulator {
    let sim = Simulator::start(SimulatorConfig::default()).unwrap();
    sim.set_mp_refresh_rotation(true);
    sim
}

/// A client logged in by the code flow, its tokens written to `store`.
async fn login(sim: &Simulator, store: &str) -> sellkit::marktplaats::Client {
    mp_common::user_client_with(builder(sim, "marktplaats").token_store(store)).await
}

/// Clients sharing `store` refresh once per expiry, never with a spent refresh token.
async fn clients_share_one_refresh(store: &str) {
    let sim = rotating_sim();
    login(&sim, store).await;
    let clients: Vec<_> = (0..4).map(|_| builder(&sim, "marktplaats").token_store(store).build().unwrap()).collect();
    for round in 0..3 {
        sim.expire_all_tokens();
        let calls: Vec<_> = clients.iter().flat_map(|c| (0..5).map(move |_| c.clone())).map(|c| tokio::spawn(async move { c.users().me().await })).collect();
        for call in calls {
            call.await.unwrap().unwrap_or_else(|e| panic!("round {round}: {e}"));
        }
    }
    let stats = sim.mp_refresh_stats();
    assert_eq!(stats.refreshes, 3, "one refresh per expiry for all 4 clients: {stats:?}");
    assert_eq!(stats.reuse_detections, 0, "{stats:?}");
    assert_eq!(stats.unused_refresh_tokens, 1, "no rotated refresh token lost: {stats:?}");
    let fetched: u64 = clients.iter().map(|c| c.token_requests()).sum();
    assert_eq!(fetched, 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn marktplaats_clients_sharing_redis_refresh_once() {
    let redis = RedisServer::start();
    clients_share_one_refresh(&redis.url()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn marktplaats_clients_sharing_a_file_refresh_once() {
    let (_dir, url) = temp_store();
    clients_share_one_refresh(&url).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn eqp_clients_share_one_session() {
    let redis = RedisServer::start();
    let sim = Simulator::start(Default::default()).unwrap();
    let clients: Vec<_> = (0..4)
        .map(|_| {
            sellkit::eqp::Client::builder()
                .app_id(sim.eqp_app_id())
                .app_secret(sim.eqp_app_secret())
                .base_url(sim.eqp_url())
                .token_store(redis.url())
                .build()
                .unwrap()
        })
        .collect();
    for _ in 0..2 {
        let calls: Vec<_> = clients.iter().cloned().map(|c| tokio::spawn(async move { c.users().get(None).await })).collect();
        for call in calls {
            call.await.unwrap().unwrap();
        }
        sim.expire_all_tokens();
    }
    assert_eq!(sim.request_count(EQP_TOKEN_ROUTE), 2, "one session per expiry for 4 clients");
    // The account id comes with the shared session.
    assert!(clients.iter().all(|c| c.mage_id().as_deref() == Some(sim.eqp_mage_id())));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_with_a_spent_refresh_token_uses_the_newer_one_in_the_store() {
    let redis = RedisServer::start();
    let sim = rotating_sim();
    let recorder = mp_common::Recorder::default();
    let first = mp_common::user_client_with(builder(&sim, "marktplaats").on_token(recorder.callback())).await;
    let rt0 = recorder.sets()[0]["refresh_token"].as_str().unwrap().to_owned();
    drop(first);
    // Two workers configured with the same refresh token, as from one environment variable.
    let a = builder(&sim, "marktplaats").refresh_token(rt0.clone()).token_store(redis.url()).on_token(recorder.callback()).build().unwrap();
    let b = builder(&sim, "marktplaats").refresh_token(rt0).token_store(redis.url()).build().unwrap();
    a.users().me().await.unwrap();
    sim.expire_all_tokens();
    a.users().me().await.unwrap();
    // b never used its configured (now spent) refresh token: the store's newer one wins.
    b.users().me().await.unwrap();
    sim.expire_all_tokens();
    b.users().me().await.unwrap();
    let stats = sim.mp_refresh_stats();
    assert_eq!((stats.refreshes, stats.reuse_detections, stats.unused_refresh_tokens), (3, 0, 1), "{stats:?}");
    // a's on_token saw every set a fetched (b's refresh reached the store, not a's callback).
    assert_eq!(recorder.sets().len(), 3, "the exchange and a's two refreshes");
    assert_eq!(b.token_requests(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_stopped_and_restarted_mid_run_loses_nothing() {
    let mut redis = RedisServer::start();
    let sim = rotating_sim();
    sim.set_mp_token_lifetime(2);
    login(&sim, &redis.url()).await;
    let clients: Vec<_> = (0..3).map(|_| builder(&sim, "marktplaats").token_store(redis.url()).build().unwrap()).collect();
    let run = |clients: Vec<sellkit::marktplaats::Client>, for_: Duration| async move {
        let until = Instant::now() + for_;
        let tasks: Vec<_> = clients
            .into_iter()
            .map(|c| {
                tokio::spawn(async move {
                    let mut failed = Vec::new();
                    while Instant::now() < until {
                        if let Err(e) = c.users().me().await {
                            failed.push(e.to_string());
                        }
                        tokio::time::sleep(Duration::from_millis(20)).await;
                    }
                    failed
                })
            })
            .collect();
        let mut failed = Vec::new();
        for t in tasks {
            failed.extend(t.await.unwrap());
        }
        failed
    };
    let first = tokio::spawn(run(clients.clone(), Duration::from_secs(3)));
    tokio::time::sleep(Duration::from_millis(800)).await;
    redis.stop();
    // Down across a refresh (tokens live 2 s, refreshed after 1 s).
    tokio::time::sleep(Duration::from_millis(1500)).await;
    redis.restart();
    let failed = first.await.unwrap();
    assert!(failed.is_empty(), "no call failed while Redis was away: {failed:?}");
    // After the restart the store is empty: the clients wrote their tokens back.
    let again = run(clients.clone(), Duration::from_secs(3)).await;
    assert!(again.is_empty(), "{again:?}");
    let stats = sim.mp_refresh_stats();
    assert_eq!(stats.reuse_detections, 0, "{stats:?}");
    // Every rotated refresh token but the one in use was spent: none lost.
    assert_eq!(stats.unused_refresh_tokens, 1, "{stats:?}");
    assert!(redis.command("KEYS sellkit:tokens:*").contains("mp/marktplaats/"), "the tokens are back in Redis");
    // A new client (a new process) finds the latest tokens in the store.
    sim.expire_all_tokens();
    let fresh = builder(&sim, "marktplaats").token_store(redis.url()).build().unwrap();
    fresh.users().me().await.unwrap();
    assert_eq!(sim.mp_refresh_stats().reuse_detections, 0);
}

#[tokio::test]
async fn an_unreachable_store_leaves_the_client_on_its_own_tokens() {
    let redis = RedisServer::start();
    let url = redis.url();
    drop(redis); // nothing listens there any more
    let sim = rotating_sim();
    let client = mp_common::user_client_with(builder(&sim, "marktplaats").token_store(url.clone())).await;
    client.users().me().await.unwrap();
    sim.expire_all_tokens();
    client.users().me().await.unwrap();
    let eqp = sellkit::eqp::Client::builder().app_id(sim.eqp_app_id()).app_secret(sim.eqp_app_secret()).base_url(sim.eqp_url()).token_store(url).build().unwrap();
    eqp.users().get(None).await.unwrap();
    assert_eq!(sim.mp_refresh_stats().reuse_detections, 0);

    // A file store in a folder that cannot be written: the same.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o500)).unwrap();
        let url = url::Url::from_file_path(dir.path().join("tokens.json")).unwrap().to_string();
        let c = mp_common::user_client_with(builder(&sim, "marktplaats").token_store(url)).await;
        c.users().me().await.unwrap();
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o700)).unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_retry_after_holds_back_every_client_sharing_the_store() {
    let redis = RedisServer::start();
    let sim = Simulator::start(Default::default()).unwrap();
    let a = login(&sim, &redis.url()).await;
    let b = builder(&sim, "marktplaats").token_store(redis.url()).build().unwrap();
    b.users().me().await.unwrap();
    sim.reset_counters();
    sim.fail_next(ME_ROUTE, 1, 429, Some("1")).unwrap();
    let started = Instant::now();
    let a_call = tokio::spawn(async move { a.users().me().await });
    tokio::time::sleep(Duration::from_millis(200)).await;
    // b never saw the 429, yet waits until a's Retry-After has passed.
    b.users().me().await.unwrap();
    assert!(started.elapsed() >= Duration::from_millis(950), "{:?}", started.elapsed());
    a_call.await.unwrap().unwrap();
    assert_eq!(sim.requests_during_backoff(), 0);
    assert_eq!(sim.request_count(ME_ROUTE), 3, "the 429, then a's retry and b's call");

    // A Retry-After longer than the clients wait fails the others at once, with it.
    sim.fail_next(ME_ROUTE, 1, 429, Some("120")).unwrap();
    let c = builder(&sim, "marktplaats").token_store(redis.url()).build().unwrap();
    let e = c.users().me().await.unwrap_err();
    assert_eq!(e.code(), "rate-limited");
    let e = b.users().me().await.unwrap_err();
    assert_eq!(e.code(), "rate-limited", "{e}");
    assert!(e.retry_after().is_some_and(|d| d > Duration::from_secs(100)), "{e:?}");
    assert_eq!(sim.requests_during_backoff(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_login_flow_writes_the_tokens_other_clients_read() {
    use sellkit::auth::login::{login, LoopbackRedirect};
    let sim = rotating_sim();
    let (_dir, url) = temp_store();
    let client = builder(&sim, "marktplaats").token_store(url.clone()).build().unwrap();
    let redirect = LoopbackRedirect::bind(0, "/callback").await.unwrap();
    let uri = redirect.redirect_uri().to_owned();
    assert!(uri.starts_with("http://127.0.0.1:") && uri.ends_with("/callback"), "{uri}");
    let set = login(&client, redirect, None, Duration::from_secs(10), |authorize_url| {
        // The browser: follow the authorization server's redirect to the loopback listener.
        let authorize_url = authorize_url.to_owned();
        tokio::spawn(async move {
            let http = reqwest::Client::builder().no_proxy().build().unwrap();
            // A stray request first (browsers ask for a favicon): not the redirect.
            let _ = http.get(format!("{}/favicon.ico", uri.trim_end_matches("/callback"))).send().await;
            let page = http.get(authorize_url).send().await.unwrap();
            assert!(page.text().await.unwrap().contains("Signed in"));
        });
    })
    .await
    .unwrap();
    assert!(set.refresh_token.is_some());
    // Another client, given nothing but the store, works.
    let reader = builder(&sim, "marktplaats").token_store(url).build().unwrap();
    assert_eq!(reader.users().me().await.unwrap().user_id, Some(sim.mp_user_id()));
    assert_eq!(reader.token_requests(), 0);

    // A forged redirect (another state) is refused and nothing is exchanged.
    let client = builder(&sim, "marktplaats").build().unwrap();
    let redirect = LoopbackRedirect::bind(0, "/cb").await.unwrap();
    let forged = format!("{}?code=abc&state=forged", redirect.redirect_uri());
    let e = login(&client, redirect, None, Duration::from_secs(10), move |_| {
        tokio::spawn(async move {
            let _ = reqwest::Client::builder().no_proxy().build().unwrap().get(forged).send().await;
        });
    })
    .await
    .unwrap_err();
    assert_eq!(e.code(), "state-mismatch", "{e}");
}

#[tokio::test]
async fn store_errors_and_logs_hold_no_secret() {
    // The store's URL is shown without its password.
    let s = store::open("s", "redis://user:very-secret-pw@127.0.0.1:1/0").unwrap();
    assert!(!s.describe().contains("very-secret-pw"), "{}", s.describe());
    let e = s.get("tokens", "k").await.unwrap_err();
    assert_eq!((e.kind(), e.code()), (ErrorKind::Connection, "store-unavailable"));
    assert!(!e.to_string().contains("very-secret-pw"), "{e}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_read_again_from_the_store_is_still_dropped_on_a_401() {
    // Found by the BullMQ example: the periodic comparison with the store read the same token
    // into a new `Arc`, so a call refused with the old one kept it and replayed with it.
    let redis = RedisServer::start();
    let sim = rotating_sim();
    login(&sim, &redis.url()).await;
    let c = builder(&sim, "marktplaats").token_store(redis.url()).build().unwrap();
    c.users().me().await.unwrap();
    sim.expire_all_tokens();
    sim.set_latency(Duration::from_millis(1500));
    let slow = {
        let c = c.clone();
        tokio::spawn(async move { c.users().me().await })
    };
    // Past the comparison interval, while the slow call holds the expired token.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let other = {
        let c = c.clone();
        tokio::spawn(async move { c.users().me().await })
    };
    tokio::time::sleep(Duration::from_millis(100)).await;
    sim.set_latency(Duration::ZERO);
    slow.await.unwrap().unwrap();
    other.await.unwrap().unwrap();
    assert_eq!(sim.mp_refresh_stats().refreshes, 1);
}
