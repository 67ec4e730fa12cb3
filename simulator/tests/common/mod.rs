//! Helpers shared by the simulator's tests: tokens obtained over HTTP as a client would.

#![allow(dead_code)] // each test binary uses some of them

use sellkit_simulator::Simulator;
use serde_json::{json, Value};

pub const REDIRECT: &str = "http://127.0.0.1:9/callback";

/// A demo user's access token on `platform`, by the authorization-code flow: the authorize
/// endpoint's redirect is read (not followed), its code exchanged at the token endpoint.
pub async fn mp_user_token(sim: &Simulator, platform: &str) -> String {
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let resp = http
        .get(sim.mp_authorize_url(platform))
        .query(&[("response_type", "code"), ("client_id", sim.mp_client_id()), ("redirect_uri", REDIRECT), ("state", "s1")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 302);
    let location = url::Url::parse(resp.headers()["location"].to_str().unwrap()).unwrap();
    let code = location.query_pairs().find(|(k, _)| k == "code").unwrap().1.into_owned();
    let token: Value = http
        .post(sim.mp_token_url(platform))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", REDIRECT),
            ("client_id", sim.mp_client_id()),
            ("client_secret", sim.mp_client_secret()),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    token["access_token"].as_str().unwrap().to_owned()
}

/// An EQP session token.
pub async fn eqp_token(sim: &Simulator) -> String {
    let body: Value = reqwest::Client::new()
        .post(format!("{}/rest/v1/app/session/token", sim.eqp_url()))
        .basic_auth(sim.eqp_app_id(), Some(sim.eqp_app_secret()))
        .json(&json!({"grant_type": "session"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    body["ust"].as_str().unwrap().to_owned()
}

/// Status and JSON body (`Null` when there is none).
pub async fn status_json(resp: reqwest::Response) -> (u16, Value) {
    let status = resp.status().as_u16();
    let text = resp.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}
