//! Helpers shared by the Marktplaats integration tests.
#![allow(dead_code)]

use std::sync::{Arc, Mutex};

use sellkit::marktplaats::{Client, ClientBuilder, TokenSet};
use sellkit_simulator::Simulator;
use serde_json::{json, Value};

pub const REDIRECT: &str = "https://app.example.com/callback";
pub const TOKEN_ROUTE: &str = "POST /accounts/oauth/token";

/// A builder for `platform` on the simulator, with the demo client credentials.
pub fn builder(sim: &Simulator, platform: &str) -> ClientBuilder {
    Client::builder()
        .platform_name(platform)
        .base_url(sim.marktplaats_url(platform))
        .client_id(sim.mp_client_id())
        .client_secret(sim.mp_client_secret())
}

/// Follow the authorization URL like a browser would (the simulator approves at once) and
/// return the `code` and `state` of the redirect.
pub async fn authorize(url: &str) -> (String, String) {
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).no_proxy().build().unwrap();
    let resp = http.get(url).send().await.unwrap();
    assert_eq!(resp.status().as_u16(), 302, "authorize answers with a redirect");
    let location = resp.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.starts_with(REDIRECT), "{location}");
    let parsed = url::Url::parse(&location).unwrap();
    let q: std::collections::HashMap<_, _> = parsed.query_pairs().into_owned().collect();
    (q["code"].clone(), q["state"].clone())
}

/// A client logged in through the authorization-code flow.
pub async fn user_client(sim: &Simulator, platform: &str) -> Client {
    user_client_with(builder(sim, platform)).await
}

pub async fn user_client_with(b: ClientBuilder) -> Client {
    let client = b.build().unwrap();
    let (url, state) = client.authorization_url(REDIRECT, None, None).unwrap();
    let (code, returned_state) = authorize(&url).await;
    assert_eq!(state, returned_state);
    client.exchange_code(&code, REDIRECT).await.unwrap();
    client
}

/// Records every token set handed to `on_token` (the refresh token exposed, for assertions).
#[derive(Clone, Default)]
pub struct Recorder(pub Arc<Mutex<Vec<Value>>>);

impl Recorder {
    pub fn callback(&self) -> impl Fn(&TokenSet) -> sellkit::Result<()> + Send + Sync + 'static {
        let seen = self.0.clone();
        move |set: &TokenSet| {
            seen.lock().unwrap().push(set.to_json());
            Ok(())
        }
    }
    pub fn sets(&self) -> Vec<Value> {
        self.0.lock().unwrap().clone()
    }
}

/// The body of a valid ad.
pub fn cd_player(title: &str) -> Value {
    json!({
        "categoryId": 35, "title": title, "description": "This is an awesome cd-player",
        "condition": "Nieuw", "brand": "Sony", "properties": "Draagbaar", "delivery": "Ophalen",
        "priceModel": {"modelType": "fixed", "askingPrice": 3241}, "location": {"postcode": "1097DN"}
    })
}
