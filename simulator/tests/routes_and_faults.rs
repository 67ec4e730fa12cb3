//! The route list is what the router serves, and faults on a route it does not serve are
//! refused with an error that names the route and lists the known ones, the closest first.

use std::collections::HashSet;

use sellkit_simulator::{Api, Fault, FaultAction, RandomFaults, SimError, Simulator};

/// A path of a template, each `{param}` replaced by `x`.
fn concrete(template: &str) -> String {
    template.split('/').map(|seg| if seg.starts_with('{') { "x" } else { seg }).collect::<Vec<_>>().join("/")
}

#[tokio::test]
async fn every_listed_route_is_served_under_its_name() {
    let sim = Simulator::start(Default::default()).unwrap();
    let routes = sim.routes().to_vec();
    let names: HashSet<String> = routes.iter().map(|r| r.name()).collect();
    assert_eq!(names.len(), routes.len(), "no route listed twice");
    for must in ["POST /rest/v1/files/uploads", "GET /v1/advertisements/{itemId}", "POST /v1/search", "GET /v1/search", "GET /accounts/oauth/authorize"] {
        assert!(names.contains(must), "{must} listed");
    }
    assert!(routes.iter().any(|r| r.api == Api::Eqp) && routes.iter().any(|r| r.api == Api::Marktplaats));

    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    for r in &routes {
        let base = match r.api {
            Api::Eqp => sim.eqp_url(),
            Api::Marktplaats => sim.marktplaats_url("2dehands"),
        };
        let method = reqwest::Method::from_bytes(r.method.as_bytes()).unwrap();
        http.request(method, format!("{base}{}", concrete(r.path))).send().await.unwrap();
        // Counted under the listed name: the router matched this very route.
        assert_eq!(sim.request_count(&r.name()), 1, "{r}");
    }
    assert_eq!(sim.request_counts().values().sum::<u64>(), routes.len() as u64, "nothing fell through to the fallback");
}

#[tokio::test]
async fn a_fault_on_an_unknown_route_is_refused_and_names_the_close_match() {
    let sim = Simulator::start(Default::default()).unwrap();
    let err = sim.fail_next("GET /v1/advertisements/{item_id}", 1, 503, None).unwrap_err();
    let SimError::UnknownRoute { route, known } = &err else { panic!("{err:?}") };
    assert_eq!(route, "GET /v1/advertisements/{item_id}");
    assert_eq!(known[0], "GET /v1/advertisements/{itemId}", "the closest first");
    assert_eq!(known.len(), sim.routes().len(), "every known route listed");
    let text = err.to_string();
    assert!(text.contains("GET /v1/advertisements/{item_id}") && text.contains("GET /v1/advertisements/{itemId}"), "{text}");
    let as_std: &dyn std::error::Error = &err;
    assert!(as_std.source().is_none());

    // The EQP docs' `:param` style and a lower-case method find their route first too.
    let Err(SimError::UnknownRoute { known, .. }) = sim.inject("get /rest/v1/users/:mage_id", Fault::drop_before(1)) else { panic!("refused") };
    assert_eq!(known[0], "GET /rest/v1/users/{mage_id}");

    // Nothing was queued: the real route answers normally.
    let status = reqwest::get(format!("{}/v1/advertisements/m1", sim.marktplaats_url("marktplaats"))).await.unwrap().status();
    assert_eq!(status, 401, "asks for a token; no injected 503");
    assert!(sim.injected_faults().is_empty());

    // Known routes and the wildcard are accepted, and fire.
    sim.fail_next("GET /v1/advertisements/{itemId}", 1, 503, None).unwrap();
    let status = reqwest::get(format!("{}/v1/advertisements/m1", sim.marktplaats_url("marktplaats"))).await.unwrap().status();
    assert_eq!(status, 503);
    sim.fail_next("*", 1, 502, None).unwrap();
    assert_eq!(reqwest::get(format!("{}/v1", sim.marktplaats_url("2ememain"))).await.unwrap().status(), 502);
}

#[test]
fn random_faults_refuse_an_unknown_exempt_route_and_bad_fault_names_are_typed() {
    let sim = Simulator::start(Default::default()).unwrap();
    let spec = |exempt: &str| RandomFaults { rate: 1.0, actions: vec![(FaultAction::Truncate, 1)], seed: 1, exempt: vec![exempt.to_owned()] };
    let err = sim.set_random_faults(Some(spec("POST /accounts/oauth/tokens"))).unwrap_err();
    assert!(matches!(&err, SimError::UnknownRoute { known, .. } if known[0] == "POST /accounts/oauth/token"), "{err}");
    sim.set_random_faults(Some(spec("POST /accounts/oauth/token"))).unwrap();
    sim.set_random_faults(None).unwrap();

    let err = FaultAction::parse("explode", std::time::Duration::ZERO).unwrap_err();
    assert_eq!(err, SimError::UnknownFault { name: "explode".into() });
    assert!(err.to_string().contains("drop-before"));
}
