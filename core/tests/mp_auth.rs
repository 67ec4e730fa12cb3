//! Marktplaats OAuth2 against the simulator: code flow, refresh with rotation and `on_token`
//! ordering, reuse detection, client credentials, concurrency and 401 handling.

mod mp_common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use mp_common::*;
use sellkit::marktplaats::Client;
use sellkit::{Error, ErrorKind};
use sellkit_simulator::Simulator;
use serde_json::json;

const ME_ROUTE: &str = "GET /v1/me";

#[tokio::test]
async fn authorization_code_flow() {
    let sim = Simulator::start(Default::default()).unwrap();
    let rec = Recorder::default();
    let client = builder(&sim, "2dehands").on_token(rec.callback()).build().unwrap();
    let (url, state) = client.authorization_url(REDIRECT, None, None).unwrap();
    assert!(url.starts_with(&format!("{}/accounts/oauth/authorize?", sim.marktplaats_url("2dehands"))), "{url}");
    let q: std::collections::HashMap<_, _> = url::Url::parse(&url).unwrap().query_pairs().into_owned().collect();
    assert_eq!((q["client_id"].as_str(), q["redirect_uri"].as_str(), q["scope"].as_str()), (sim.mp_client_id(), REDIRECT, "read write"));
    assert_eq!(state.len(), 32);
    let (_, other_state) = client.authorization_url(REDIRECT, None, None).unwrap();
    assert_ne!(state, other_state, "a fresh state every time");

    let (code, returned) = authorize(&url).await;
    assert_eq!(returned, state);
    let set = client.exchange_code(&code, REDIRECT).await.unwrap();
    assert!(set.refresh_token.is_some());
    assert_eq!(rec.sets().len(), 1, "on_token saw the exchanged set");
    assert_eq!(rec.sets()[0]["refresh_token"], set.to_json()["refresh_token"]);
    let me = client.users().me().await.unwrap();
    assert_eq!(me.user_id, Some(sim.mp_user_id()));
    assert_eq!(me.locale.as_deref(), Some("nl-BE"));

    // A code is used once.
    let e = client.exchange_code(&code, REDIRECT).await.unwrap_err();
    assert_eq!((e.kind(), e.code()), (ErrorKind::Authentication, "invalid_grant"));
}

#[tokio::test]
async fn rotated_refresh_token_reaches_on_token_before_the_new_access_token_is_used() {
    let sim = Arc::new(Simulator::start(Default::default()).unwrap());
    sim.set_mp_refresh_rotation(true);
    // Each callback records how many times GET /v1/me had been received when it ran.
    let seen: Arc<Mutex<Vec<(String, u64)>>> = Arc::default();
    let (seen2, sim2) = (seen.clone(), sim.clone());
    let client = user_client_with(builder(&sim, "marktplaats").on_token(move |set| {
        let rt = set.refresh_token.as_ref().unwrap().expose().to_owned();
        seen2.lock().unwrap().push((rt, sim2.request_count(ME_ROUTE)));
        Ok(())
    }))
    .await;
    client.users().me().await.unwrap();
    sim.expire_all_tokens();
    client.users().me().await.unwrap();

    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 2, "code exchange, then one refresh");
    assert_ne!(seen[0].0, seen[1].0, "the refresh token was rotated");
    assert_eq!(seen[1].1, 2, "on_token ran after the refused call and before the replay");
    assert_eq!(sim.request_count(ME_ROUTE), 3);
    assert_eq!(sim.request_count(TOKEN_ROUTE), 2);

    // Reuse detection: the spent refresh token is refused; the persisted new one works.
    let old = builder(&sim, "marktplaats").refresh_token(seen[0].0.clone()).build().unwrap();
    let e = old.users().me().await.unwrap_err();
    assert_eq!((e.kind(), e.code()), (ErrorKind::Authentication, "invalid_grant"), "{e}");
    let fresh = builder(&sim, "marktplaats").refresh_token(seen[1].0.clone()).build().unwrap();
    assert_eq!(fresh.users().me().await.unwrap().user_id, Some(sim.mp_user_id()));
}

#[tokio::test]
async fn a_failing_on_token_fails_the_call_and_the_new_token_is_not_used() {
    let sim = Simulator::start(Default::default()).unwrap();
    let fail = Arc::new(Mutex::new(false));
    let fail2 = fail.clone();
    let client = user_client_with(builder(&sim, "marktplaats").on_token(move |_| {
        if *fail2.lock().unwrap() {
            Err(Error::new(ErrorKind::Internal, "disk full"))
        } else {
            Ok(())
        }
    }))
    .await;
    client.users().me().await.unwrap();
    sim.expire_all_tokens();
    *fail.lock().unwrap() = true;
    sim.reset_counters();
    let e = client.users().me().await.unwrap_err();
    assert!(e.message().contains("on_token") && e.message().contains("disk full"), "{e}");
    assert_eq!(sim.request_count(ME_ROUTE), 1, "the call was not replayed with the unpersisted token");
    *fail.lock().unwrap() = false;
    client.users().me().await.unwrap();
}

#[tokio::test]
async fn client_credentials_for_account_creation() {
    let sim = Simulator::start(Default::default()).unwrap();
    // A client without a user: its own token.
    let app = builder(&sim, "marktplaats").build().unwrap();
    let set = app.authenticate_client(&["create_account".to_owned()]).await.unwrap();
    assert!(set.refresh_token.is_none());
    assert_eq!(set.scopes(), vec!["create_account"]);
    let user = app.users().create(&json!({"email": "new@host.nl", "name": "Spiderman", "postcode": "1097DN", "phoneNumber": "0204167248"})).await.unwrap();
    assert!(user.user_id.is_some());
    assert_eq!(user.status.as_deref(), Some("unconfirmed"));

    // A user's client gets a client-credentials token of its own for users.create.
    let client = user_client(&sim, "marktplaats").await;
    sim.reset_counters();
    client.users().create(&json!({"email": "second@host.nl"})).await.unwrap();
    assert_eq!(sim.request_count(TOKEN_ROUTE), 1, "one client-credentials token");
    let e = client.users().create(&json!({"email": "second@host.nl"})).await.unwrap_err();
    assert_eq!(e.code(), "validation-failure");
    assert_eq!(e.details()[0].code.as_deref(), Some("email-in-use"));
    // The user's own token is refused there.
    let e = client.request("POST", "/v1/users", Some(&json!({"email": "third@host.nl"}))).await.unwrap_err();
    assert_eq!((e.status(), e.code()), (Some(403), "unauthorized"));
    // Unknown scopes are refused by the auth server.
    let e = app.authenticate_client(&["admin".to_owned()]).await.unwrap_err();
    assert_eq!((e.kind(), e.code()), (ErrorKind::Authentication, "invalid_scope"));
}

#[tokio::test]
async fn fifty_concurrent_calls_after_expiry_cause_one_token_request() {
    let sim = Simulator::start(Default::default()).unwrap();
    let client = user_client(&sim, "marktplaats").await;
    let created = client.ads().create_value(cd_player("Concurrent player")).await.unwrap();
    let id = created["itemId"].as_str().unwrap().to_owned();
    sim.expire_all_tokens();
    sim.reset_counters();
    let tasks: Vec<_> = (0..50)
        .map(|_| {
            let (c, id) = (client.clone(), id.clone());
            tokio::spawn(async move { c.ads().get_value(&id).await })
        })
        .collect();
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    assert_eq!(sim.request_count(TOKEN_ROUTE), 1, "exactly one refresh for 50 waiting calls");
}

#[tokio::test]
async fn a_401_refreshes_once_and_replays_once() {
    let sim = Simulator::start(Default::default()).unwrap();
    let client = user_client(&sim, "marktplaats").await;
    client.users().me().await.unwrap();
    sim.expire_all_tokens();
    sim.reset_counters();
    client.users().me().await.unwrap();
    assert_eq!((sim.request_count(ME_ROUTE), sim.request_count(TOKEN_ROUTE)), (2, 1));

    // When the refresh itself is refused, the call fails after one try: no loop.
    sim.set_mp_refresh_rotation(true);
    let stale = builder(&sim, "marktplaats").refresh_token("not-a-token").build().unwrap();
    sim.reset_counters();
    let e = stale.users().me().await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Authentication);
    assert_eq!((sim.request_count(ME_ROUTE), sim.request_count(TOKEN_ROUTE)), (0, 1));
}

#[tokio::test]
async fn stored_access_token_alone_and_refresh_token_alone() {
    let sim = Simulator::start(Default::default()).unwrap();
    let rec = Recorder::default();
    let _login = user_client_with(builder(&sim, "2ememain").on_token(rec.callback())).await;
    let set = rec.sets()[0].clone();

    let access_only = Client::builder()
        .platform_name("2ememain")
        .base_url(sim.marktplaats_url("2ememain"))
        .access_token(set["access_token"].as_str().unwrap())
        .build()
        .unwrap();
    sim.reset_counters();
    assert_eq!(access_only.users().me().await.unwrap().locale.as_deref(), Some("fr-BE"));
    assert_eq!(sim.request_count(TOKEN_ROUTE), 0);
    sim.expire_all_tokens();
    let e = access_only.users().me().await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Authentication);
    assert!(e.message().contains("refused"), "{e}");

    let rec2 = Recorder::default();
    let refresh_only = builder(&sim, "2ememain").refresh_token(set["refresh_token"].as_str().unwrap()).on_token(rec2.callback()).build().unwrap();
    refresh_only.users().me().await.unwrap();
    assert_eq!(rec2.sets().len(), 1, "the refreshed set went to on_token");
    assert_eq!(refresh_only.token_requests(), 1);
}

#[tokio::test]
async fn token_refreshed_ahead_of_a_short_lifetime() {
    let sim = Simulator::start(Default::default()).unwrap();
    sim.set_mp_token_lifetime(2);
    let client = user_client(&sim, "marktplaats").await;
    client.users().me().await.unwrap();
    tokio::time::sleep(Duration::from_millis(1200)).await;
    sim.reset_counters();
    client.users().me().await.unwrap();
    assert_eq!((sim.request_count(TOKEN_ROUTE), sim.request_count(ME_ROUTE)), (1, 1), "refreshed before expiry, no 401");
}

#[tokio::test]
async fn tokens_never_reach_debug_output_or_errors() {
    let sim = Simulator::start(Default::default()).unwrap();
    let rec = Recorder::default();
    let client = user_client_with(builder(&sim, "marktplaats").on_token(rec.callback())).await;
    let e = client.ads().get("m999999").await.unwrap_err();
    assert_eq!((e.status(), e.code()), (Some(404), "advertisement-not-found"));
    let set = sellkit::auth::oauth2::TokenSet::from_json(&rec.sets()[0]).unwrap();
    let printed = format!("{client:?} {e:?} {e} {set:?}");
    for token in sim.issued_mp_tokens() {
        assert!(!printed.contains(&token), "token leaked into {printed}");
    }
    assert!(!printed.contains(sim.mp_client_secret()));
}
