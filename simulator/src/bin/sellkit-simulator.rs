//! `sellkit-simulator [--host 127.0.0.1] [--port 0]`: serve until stopped (Ctrl-C or SIGTERM).

use std::net::{IpAddr, SocketAddr};

use sellkit_simulator::{Simulator, SimulatorConfig};

const HELP: &str = "\
usage: sellkit-simulator [--host 127.0.0.1] [--port 0]

Serves the EQP API and the Marktplaats / 2dehands / 2ememain API from memory on loopback, until
stopped. Prints the URLs and demo credentials to use instead of the real ones.

  --host ADDR   loopback address to listen on (default 127.0.0.1)
  --port N      EQP port (default 0: a free one); each Marktplaats platform gets a free port

Marktplaats OAuth: each platform URL is also its OAuth2 server. The authorization endpoint
({platform_url}/accounts/oauth/authorize) needs no browser: it approves at once as the demo user
(userId 1) and redirects (302) to redirect_uri?code=...&state=...; exchange the code at
{platform_url}/accounts/oauth/token with the client id and secret printed at start.";

fn main() {
    let mut host: IpAddr = [127, 0, 0, 1].into();
    let mut port: u16 = 0;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().unwrap_or_else(|| fail(&format!("{name} needs a value")));
        match arg.as_str() {
            "--port" => port = value("--port").parse().unwrap_or_else(|_| fail("--port must be a number 0-65535")),
            "--host" => host = value("--host").parse().unwrap_or_else(|_| fail("--host must be an IP address")),
            "-h" | "--help" => {
                println!("{HELP}");
                return;
            }
            other => fail(&format!("unknown argument {other:?}")),
        }
    }
    if !host.is_loopback() {
        fail("the simulator serves loopback addresses only");
    }
    let config = SimulatorConfig { bind: SocketAddr::new(host, port), ..Default::default() };
    let sim = Simulator::start(config).unwrap_or_else(|e| fail(&format!("cannot listen: {e}")));
    println!("sellkit-simulator listening");
    println!("eqp_url        {}", sim.eqp_url());
    println!("eqp_app_id     {}", sim.eqp_app_id());
    println!("eqp_app_secret {}", sim.eqp_app_secret());
    println!("eqp_mage_id    {}", sim.eqp_mage_id());
    println!("marktplaats_url {}", sim.marktplaats_url("marktplaats"));
    println!("2dehands_url    {}", sim.marktplaats_url("2dehands"));
    println!("2ememain_url    {}", sim.marktplaats_url("2ememain"));
    println!("mp_client_id    {}", sim.mp_client_id());
    println!("mp_client_secret {}", sim.mp_client_secret());
    println!("mp_user_id      {} (approved at once by the authorization endpoint)", sim.mp_user_id());
    println!("marktplaats_authorize_url {}", sim.mp_authorize_url("marktplaats"));
    println!("marktplaats_token_url     {}", sim.mp_token_url("marktplaats"));
    println!("(each platform URL serves /accounts/oauth/authorize and /accounts/oauth/token)");
    // Serve until the process is stopped; the server runs on its own thread.
    loop {
        std::thread::park();
    }
}

fn fail(message: &str) -> ! {
    eprintln!("sellkit-simulator: {message}");
    std::process::exit(2)
}
