//! Settings from the environment (`SELLKIT_EQP_*`, `SELLKIT_MP_*`): used when a setting is not
//! given in code, never over it; a missing one names the setting and its variable. One test in
//! its own process, as the environment is shared by the whole process.

use sellkit::catalogue::{EQP, MARKTPLAATS};
use sellkit_simulator::Simulator;
use serde_json::json;

#[tokio::test]
async fn clients_read_their_settings_from_the_environment() {
    let sim = Simulator::start(Default::default()).unwrap();
    for v in ["SELLKIT_EQP_APP_ID", "SELLKIT_EQP_APP_SECRET", "SELLKIT_EQP_BASE_URL", "SELLKIT_MP_CLIENT_ID", "SELLKIT_MP_CLIENT_SECRET", "SELLKIT_MP_REFRESH_TOKEN"] {
        std::env::remove_var(v);
    }
    // Missing: the error names the setting and the variable.
    let e = sellkit::eqp::Client::from_env().unwrap_err();
    assert_eq!(e.field(), Some("app_id"));
    assert!(e.message().contains("SELLKIT_EQP_APP_ID"), "{e}");
    let e = EQP.client.build_json(json!({"app_id": "x"})).unwrap_err();
    assert_eq!(e.field(), Some("app_secret"));
    assert!(e.message().contains("SELLKIT_EQP_APP_SECRET"), "{e}");

    std::env::set_var("SELLKIT_EQP_APP_ID", sim.eqp_app_id());
    std::env::set_var("SELLKIT_EQP_APP_SECRET", sim.eqp_app_secret());
    std::env::set_var("SELLKIT_EQP_BASE_URL", sim.eqp_url());
    let client = sellkit::eqp::Client::from_env().unwrap();
    assert_eq!(client.users().get(None).await.unwrap().mage_id(), Some(sim.eqp_mage_id()));
    // The constructor the Python and Node packages use reads them too; code wins.
    let client = EQP.client.build_json(json!({})).unwrap();
    assert_eq!(client.app_id(), sim.eqp_app_id());
    let e = EQP.client.build_json(json!({"base_url": "http://example.com"})).unwrap_err();
    assert_eq!(e.field(), Some("base_url"), "the argument wins over SELLKIT_EQP_BASE_URL");
    // An empty variable counts as unset.
    std::env::set_var("SELLKIT_EQP_APP_ID", "  ");
    assert_eq!(sellkit::eqp::Client::from_env().unwrap_err().field(), Some("app_id"));

    std::env::set_var("SELLKIT_MP_REFRESH_TOKEN", "r1");
    let e = MARKTPLAATS.client.build_json(json!({})).unwrap_err();
    assert_eq!(e.field(), Some("client_id"));
    assert!(e.message().contains("SELLKIT_MP_CLIENT_ID"), "{e}");
    std::env::set_var("SELLKIT_MP_CLIENT_ID", sim.mp_client_id());
    std::env::set_var("SELLKIT_MP_CLIENT_SECRET", sim.mp_client_secret());
    std::env::set_var("SELLKIT_MP_PLATFORM", "2dehands");
    let mp = sellkit::marktplaats::Client::from_env().unwrap();
    assert_eq!(mp.platform().as_str(), "2dehands");
}
