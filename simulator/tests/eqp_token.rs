//! The simulator's token endpoint, spoken to with a plain HTTP client.

use sellkit_simulator::{Simulator, EQP_APP_ID, EQP_APP_SECRET};
use serde_json::{json, Value};

async fn post_token(sim: &Simulator, user: &str, pass: &str, body: Value) -> (u16, Value) {
    let resp = reqwest::Client::new()
        .post(format!("{}/rest/v1/app/session/token", sim.eqp_url()))
        .basic_auth(user, Some(pass))
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap())
}

#[tokio::test]
async fn issues_clamps_and_refuses() {
    let sim = Simulator::start(Default::default()).unwrap();
    let (s, b) = post_token(&sim, EQP_APP_ID, EQP_APP_SECRET, json!({"grant_type": "session"})).await;
    assert_eq!(s, 200);
    assert_eq!(b["mage_id"], "MAG123456789");
    assert_eq!(b["expires_in"], 7200);
    assert!(b["ust"].as_str().unwrap().len() > 20);

    let (_, b) = post_token(&sim, EQP_APP_ID, EQP_APP_SECRET, json!({"grant_type": "session", "expires_in": 99999})).await;
    assert_eq!(b["expires_in"], 7200, "clamped to the maximum");
    let (_, b) = post_token(&sim, EQP_APP_ID, EQP_APP_SECRET, json!({"grant_type": "session", "expires_in": 300})).await;
    assert_eq!(b["expires_in"], 300);

    let (s, b) = post_token(&sim, EQP_APP_ID, EQP_APP_SECRET, json!({"grant_type": "password"})).await;
    assert_eq!((s, b["code"].as_i64().is_some()), (400, true));
    let (s, b) = post_token(&sim, EQP_APP_ID, "nope", json!({"grant_type": "session"})).await;
    assert_eq!(s, 401);
    assert!(b["message"].is_string());
    assert_eq!(sim.request_count("POST /rest/v1/app/session/token"), 5);
}

#[tokio::test]
async fn users_need_a_valid_unexpired_token() {
    let sim = Simulator::start(Default::default()).unwrap();
    let (_, b) = post_token(&sim, EQP_APP_ID, EQP_APP_SECRET, json!({"grant_type": "session"})).await;
    let ust = b["ust"].as_str().unwrap().to_owned();
    let http = reqwest::Client::new();
    let url = format!("{}/rest/v1/users/MAG123456789", sim.eqp_url());
    let get = |auth: Option<String>| {
        let mut r = http.get(&url);
        if let Some(a) = auth {
            r = r.header("authorization", a);
        }
        r.send()
    };
    assert_eq!(get(Some(format!("Bearer {ust}"))).await.unwrap().status(), 200);
    assert_eq!(get(None).await.unwrap().status(), 401);
    assert_eq!(get(Some("Bearer nope".into())).await.unwrap().status(), 401);
    let other = http.get(format!("{}/rest/v1/users/MAG999", sim.eqp_url())).bearer_auth(&ust).send().await.unwrap();
    assert_eq!(other.status(), 403);
    sim.expire_all_tokens();
    let expired = get(Some(format!("Bearer {ust}"))).await.unwrap();
    assert_eq!(expired.status(), 401);
    let body: Value = expired.json().await.unwrap();
    assert_eq!(body["code"], 401);
    assert!(body["message"].as_str().unwrap().contains("expired"));
}

#[tokio::test]
async fn faults_and_latency_apply_at_run_time() {
    let sim = Simulator::start(Default::default()).unwrap();
    sim.fail_next("POST /rest/v1/app/session/token", 1, 429, Some("7")).unwrap();
    let resp = reqwest::Client::new()
        .post(format!("{}/rest/v1/app/session/token", sim.eqp_url()))
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 429);
    assert_eq!(resp.headers()["retry-after"], "7");
    sim.set_latency(std::time::Duration::from_millis(300));
    let t = std::time::Instant::now();
    let _ = reqwest::get(format!("{}/rest/v1/nowhere", sim.eqp_url())).await.unwrap();
    assert!(t.elapsed() >= std::time::Duration::from_millis(290));
    assert_eq!(sim.request_count("GET /rest/v1/nowhere"), 1);
}
