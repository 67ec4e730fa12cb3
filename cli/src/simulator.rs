//! `sellkit simulator [--port N]`: both APIs from memory on loopback until the process is
//! stopped; prints the URLs, the demo credentials (public, the same in every simulator) and the
//! variables that point sellkit at it. The demo seller is logged in on Marktplaats at start (the
//! simulator approves the authorization at once), so its refresh token is among the variables
//! and `sellkit mp ...` works against it straight away.

use std::net::SocketAddr;

use sellkit::marktplaats::Client as MpClient;
use sellkit::{Error, ErrorKind, Result};
use sellkit_simulator::{Simulator, SimulatorConfig};
use serde_json::json;

use crate::args::SimulatorArgs;
use crate::output::{pairs, Ui};

pub async fn run(args: SimulatorArgs, ui: &Ui) -> Result<i32> {
    let config = SimulatorConfig { bind: SocketAddr::from(([127, 0, 0, 1], args.port)), ..Default::default() };
    let sim = Simulator::start(config).map_err(|e| Error::new(ErrorKind::Connection, format!("cannot listen on port {}: {e}", args.port)))?;
    let refresh_token = demo_refresh_token(&sim).await?;
    let info = json!({
        "eqp_url": sim.eqp_url(),
        "eqp_app_id": sim.eqp_app_id(),
        "eqp_app_secret": sim.eqp_app_secret(),
        "eqp_mage_id": sim.eqp_mage_id(),
        "marktplaats_url": sim.marktplaats_url("marktplaats"),
        "2dehands_url": sim.marktplaats_url("2dehands"),
        "2ememain_url": sim.marktplaats_url("2ememain"),
        "mp_client_id": sim.mp_client_id(),
        "mp_client_secret": sim.mp_client_secret(),
        "mp_user_id": sim.mp_user_id(),
        "mp_refresh_token": refresh_token,
        "env": {
            "SELLKIT_EQP_BASE_URL": sim.eqp_url(),
            "SELLKIT_EQP_APP_ID": sim.eqp_app_id(),
            "SELLKIT_EQP_APP_SECRET": sim.eqp_app_secret(),
            "SELLKIT_MP_BASE_URL": sim.marktplaats_url("marktplaats"),
            "SELLKIT_MP_CLIENT_ID": sim.mp_client_id(),
            "SELLKIT_MP_CLIENT_SECRET": sim.mp_client_secret(),
            "SELLKIT_MP_REFRESH_TOKEN": refresh_token,
        },
    });
    // The demo credentials are printed as they are: they are the simulator's public constants,
    // and a user needs them to point a client at it.
    let text = {
        let env: Vec<String> = info["env"].as_object().into_iter().flatten().map(|(k, v)| format!("export {k}={}", v.as_str().unwrap_or(""))).collect();
        format!(
            "sellkit simulator listening (stop it with Ctrl-C)\n{}\n\nPoint sellkit at it:\n{}",
            pairs(&[
                ("eqp_url", sim.eqp_url()),
                ("eqp_app_id", sim.eqp_app_id().into()),
                ("eqp_app_secret", sim.eqp_app_secret().into()),
                ("eqp_mage_id", sim.eqp_mage_id().into()),
                ("marktplaats_url", sim.marktplaats_url("marktplaats")),
                ("2dehands_url", sim.marktplaats_url("2dehands")),
                ("2ememain_url", sim.marktplaats_url("2ememain")),
                ("mp_client_id", sim.mp_client_id().into()),
                ("mp_client_secret", sim.mp_client_secret().into()),
                ("mp_user_id", sim.mp_user_id().to_string()),
                ("mp_refresh_token", refresh_token.clone()),
            ]),
            env.join("\n")
        )
    };
    if ui.json {
        // Printed as is (not masked): these are the simulator's demo credentials.
        println!("{}", serde_json::to_string(&info).unwrap_or_default());
    } else {
        println!("{text}");
    }
    // Serve until the process is stopped; the simulator runs on its own thread.
    std::future::pending::<()>().await;
    Ok(0)
}

/// A refresh token of the demo seller on marktplaats: the authorization-code flow, with the
/// simulator approving in place of the seller's browser.
async fn demo_refresh_token(sim: &Simulator) -> Result<String> {
    const REDIRECT: &str = "http://127.0.0.1/callback";
    let client = MpClient::builder()
        .platform_name("marktplaats")
        .base_url(sim.marktplaats_url("marktplaats"))
        .client_id(sim.mp_client_id())
        .client_secret(sim.mp_client_secret())
        .build()?;
    let (url, _state) = client.authorization_url(REDIRECT, None, None)?;
    let (code, _) = sim.mp_approve(&url).map_err(|e| Error::new(ErrorKind::Internal, format!("the simulator refused the demo login: {e}")))?;
    let set = client.exchange_code(&code, REDIRECT).await?;
    set.refresh_token.map(|t| t.expose().to_owned()).ok_or_else(|| Error::new(ErrorKind::Internal, "the simulator issued no refresh token"))
}
