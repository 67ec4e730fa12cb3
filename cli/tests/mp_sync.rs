//! `sellkit mp sync` as a real process against the simulator: a dry run (read-only requests,
//! no state written), a run and its counts, a re-run (all unchanged, nothing sent), a price
//! change (one patch), `--delete-missing`, an invalid item (exit 7), bad input (exit 2, zero
//! requests), and `--json` parsed.

use std::path::PathBuf;
use std::time::Duration;

use assert_cmd::Command;
use sellkit_simulator::Simulator;
use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_sellkit");

const PRODUCTS: &str = "\
key,title,description,category_id,price,price_model,postcode,attr.condition,attr.brand
cd-100,Sony CDP-XE270 cd player,Plays every cd; remote included.,35,32.50,fixed,1097DN,Gebruikt,Sony
cd-200,Philips CD 723 cd player,Serviced last month.,35,45,fixed,1097DN,Zo goed als nieuw,Philips
cd-300,Technics SL-PG390,\"Five-disc changer, works fine.\",35,\"59,95\",fixed,1097DN,Gebruikt,Technics
";

/// A folder for the catalogues and the user's config (its own per test).
struct Dir(PathBuf);

impl Dir {
    fn new() -> Dir {
        let dir = std::env::temp_dir().join(format!("sellkit-cli-sync-{}-{}", std::process::id(), fastrand::u64(..)));
        std::fs::create_dir_all(&dir).unwrap();
        Dir(dir)
    }
    fn write(&self, name: &str, text: &str) -> String {
        let p = self.0.join(name);
        std::fs::write(&p, text).unwrap();
        p.to_string_lossy().into_owned()
    }
    fn config(&self) -> PathBuf {
        self.0.join("config")
    }
    /// Where the command keeps the sync state by default.
    fn default_state(&self) -> PathBuf {
        self.config().join("sellkit").join("sync-state.json")
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A refresh token of the simulator's demo seller (the simulator approves in place of a browser).
fn refresh_token(sim: &Simulator) -> String {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async {
        let redirect = "http://127.0.0.1/callback";
        let client = sellkit::marktplaats::Client::builder()
            .base_url(sim.marktplaats_url("marktplaats"))
            .client_id(sim.mp_client_id())
            .client_secret(sim.mp_client_secret())
            .build()
            .unwrap();
        let (url, _) = client.authorization_url(redirect, None, None).unwrap();
        let (code, _) = sim.mp_approve(&url).unwrap();
        client.exchange_code(&code, redirect).await.unwrap().refresh_token.unwrap().expose().to_owned()
    })
}

struct Env<'a> {
    sim: &'a Simulator,
    dir: &'a Dir,
    token: String,
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| panic!("stdout is not one JSON document ({e}):\n{}", self.stdout))
    }
}

impl Env<'_> {
    /// `sellkit ARGS` with nothing of this process's environment but what points it at the
    /// simulator, and a config folder of its own.
    fn run(&self, args: &[&str]) -> Run {
        let out = Command::new(BIN)
            .env_clear()
            .env("XDG_CONFIG_HOME", self.dir.config())
            .env("SELLKIT_MP_BASE_URL", self.sim.marktplaats_url("marktplaats"))
            .env("SELLKIT_MP_CLIENT_ID", self.sim.mp_client_id())
            .env("SELLKIT_MP_CLIENT_SECRET", self.sim.mp_client_secret())
            .env("SELLKIT_MP_REFRESH_TOKEN", &self.token)
            .args(args)
            .timeout(Duration::from_secs(120))
            .output()
            .unwrap();
        let run = Run { code: out.status.code().unwrap_or(-1), stdout: String::from_utf8(out.stdout).unwrap(), stderr: String::from_utf8(out.stderr).unwrap() };
        for secret in [self.token.as_str(), sellkit_simulator::MP_CLIENT_SECRET] {
            assert!(!run.stdout.contains(secret) && !run.stderr.contains(secret), "a secret was printed:\n{}\n{}", run.stdout, run.stderr);
        }
        // Piped: no progress drawing.
        assert!(!run.stderr.contains('\u{1b}'), "terminal drawing on a pipe:\n{}", run.stderr);
        run
    }
}

fn setup() -> (Simulator, Dir) {
    (Simulator::start(Default::default()).unwrap(), Dir::new())
}

/// Requests that change something: every route that is not a GET, but the token endpoint.
fn writes(sim: &Simulator) -> u64 {
    sim.request_counts().iter().filter(|(route, _)| !route.starts_with("GET ") && !route.contains("/oauth/")).map(|(_, n)| n).sum()
}

fn requests_of(sim: &Simulator, method: &str) -> u64 {
    sim.request_counts().iter().filter(|(route, _)| route.starts_with(&format!("{method} "))).map(|(_, n)| n).sum()
}

fn counts(doc: &Value) -> [u64; 6] {
    let c = &doc["counts"];
    ["created", "updated", "unchanged", "deleted", "invalid", "failed"].map(|k| c[k].as_u64().unwrap_or_else(|| panic!("no count {k}: {doc}")))
}

fn own_ads(sim: &Simulator) -> Vec<Value> {
    sim.mp_ads("marktplaats").into_iter().filter(|a| a["status"] != "DELETED" && a["status"] != "deleted").collect()
}

#[test]
fn dry_run_then_run_then_rerun_then_price_change_then_removal() {
    let (sim, dir) = setup();
    let env = Env { sim: &sim, dir: &dir, token: refresh_token(&sim) };
    let products = dir.write("products.csv", PRODUCTS);
    sim.reset_counters();

    // A dry run plans all three, reads only, and writes no state.
    let r = env.run(&["mp", "sync", "--catalogue", &products, "--dry-run"]);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert!(lines[0].starts_with("KEY") && lines[0].contains("ACTION") && lines[0].contains("ITEM") && lines[0].contains("ERROR"), "{}", r.stdout);
    for key in ["cd-100", "cd-200", "cd-300"] {
        assert!(lines.iter().any(|l| l.starts_with(key) && l.contains("created")), "{key}:\n{}", r.stdout);
    }
    assert!(r.stdout.contains("created=3 updated=0 unchanged=0 deleted=0 invalid=0 failed=0"), "{}", r.stdout);
    assert!(r.stdout.contains("dry run"), "{}", r.stdout);
    assert_eq!(writes(&sim), 0, "a dry run sent a change: {:?}", sim.request_counts());
    assert!(requests_of(&sim, "GET") > 0, "the categories are read: {:?}", sim.request_counts());
    assert!(!dir.default_state().exists(), "a dry run wrote the state");
    assert!(own_ads(&sim).is_empty());

    // The run places them; the state is kept in the config folder, readable by its owner only.
    let r = env.run(&["mp", "sync", "--catalogue", &products, "--json"]);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    let doc = r.json();
    assert_eq!(counts(&doc), [3, 0, 0, 0, 0, 0], "{doc}");
    assert_eq!(doc["dryRun"], false);
    let items = doc["items"].as_array().unwrap();
    assert_eq!(items.iter().map(|i| i["key"].as_str().unwrap()).collect::<Vec<_>>(), ["cd-100", "cd-200", "cd-300"], "catalogue order");
    let ids: Vec<String> = items.iter().map(|i| i["itemId"].as_str().unwrap().to_owned()).collect();
    assert_eq!(own_ads(&sim).len(), 3);
    assert_eq!(sim.mp_ad("marktplaats", &ids[2]).unwrap()["priceModel"]["askingPrice"], 5995, "euros to exact cents");
    assert!(dir.default_state().exists());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(dir.default_state()).unwrap().permissions().mode() & 0o777, 0o600);
    }

    // Run again: all unchanged, nothing sent but reads.
    sim.reset_counters();
    let r = env.run(&["mp", "sync", "--catalogue", &products]);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("created=0 updated=0 unchanged=3 deleted=0 invalid=0 failed=0"), "{}", r.stdout);
    assert!(r.stdout.contains(&ids[0]), "the item ids are shown:\n{}", r.stdout);
    assert_eq!(writes(&sim), 0, "{:?}", sim.request_counts());

    // A price change is one patch.
    sim.reset_counters();
    let changed = dir.write("products-price-change.csv", &PRODUCTS.replace("35,32.50,", "35,29.99,"));
    let r = env.run(&["mp", "sync", "--catalogue", &changed, "--json"]);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    assert_eq!(counts(&r.json()), [0, 1, 2, 0, 0, 0], "{}", r.stdout);
    assert_eq!(r.json()["items"][0]["action"], "updated");
    assert_eq!(requests_of(&sim, "PATCH"), 1, "{:?}", sim.request_counts());
    assert_eq!(writes(&sim), 1, "{:?}", sim.request_counts());
    assert_eq!(sim.mp_ad("marktplaats", &ids[0]).unwrap()["priceModel"]["askingPrice"], 2999);

    // A product removed: left alone without --delete-missing, deleted with it.
    let removed: String = PRODUCTS.replace("35,32.50,", "35,29.99,").lines().filter(|l| !l.starts_with("cd-200")).map(|l| format!("{l}\n")).collect();
    let removed = dir.write("products-removal.csv", &removed);
    sim.reset_counters();
    let r = env.run(&["mp", "sync", "--catalogue", &removed]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("unchanged=2 deleted=0"), "{}", r.stdout);
    assert_eq!(writes(&sim), 0);
    let r = env.run(&["mp", "sync", "--catalogue", &removed, "--delete-missing", "--json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let doc = r.json();
    assert_eq!(counts(&doc), [0, 0, 2, 1, 0, 0], "{doc}");
    assert_eq!(doc["items"][2]["key"], "cd-200", "deleted keys last");
    assert_eq!(doc["items"][2]["action"], "deleted");
    assert_eq!(requests_of(&sim, "DELETE"), 1, "{:?}", sim.request_counts());
    assert_eq!(own_ads(&sim).len(), 2);
}

#[test]
fn a_json_catalogue_with_an_invalid_ad_exits_7_and_places_the_others() {
    let (sim, dir) = setup();
    let env = Env { sim: &sim, dir: &dir, token: refresh_token(&sim) };
    // The second ad's brand is not one the category allows.
    let catalogue = serde_json::json!({
        "lamp-1": {"title": "Sony CDP-XE270 cd player", "description": "Plays every cd.", "categoryId": 35,
                   "priceModel": {"modelType": "fixed", "askingPrice": 3250}, "location": {"postcode": "1097DN"},
                   "condition": "Gebruikt"},
        "lamp-2": {"title": "Philips CD 723 cd player", "description": "Serviced.", "categoryId": 35,
                   "priceModel": {"modelType": "fixed", "askingPrice": 4500}, "location": {"postcode": "1097DN"},
                   "brand": "Grundig"},
    });
    let state = url::Url::from_file_path(dir.0.join("state.json")).unwrap().to_string();
    let path = dir.write("catalogue.json", &catalogue.to_string());
    let r = env.run(&["mp", "sync", "--catalogue", &path, "--state", &state, "--concurrency", "1", "--json"]);
    assert_eq!(r.code, 7, "{}\n{}", r.stdout, r.stderr);
    let doc = r.json();
    let c = counts(&doc);
    assert_eq!((c[0], c[4]), (1, 1), "{doc}");
    let invalid = doc["items"].as_array().unwrap().iter().find(|i| i["action"] == "invalid").unwrap().clone();
    assert_eq!(invalid["key"], "lamp-2");
    assert!(invalid["error"]["field"].as_str().is_some_and(|f| f.contains("brand")), "{invalid}");
    assert!(dir.0.join("state.json").exists() && !dir.default_state().exists(), "--state chose the store");

    // The table shows the error with its field.
    let r = env.run(&["mp", "sync", "--catalogue", &path, "--state", &state]);
    assert_eq!(r.code, 7);
    let line = r.stdout.lines().find(|l| l.starts_with("lamp-2")).unwrap_or_else(|| panic!("{}", r.stdout));
    assert!(line.contains("invalid") && line.contains('('), "{line}");
    assert_eq!(own_ads(&sim).len(), 1);
}

#[test]
fn bad_input_exits_2_and_sends_nothing() {
    let (sim, dir) = setup();
    let env = Env { sim: &sim, dir: &dir, token: refresh_token(&sim) };
    let products = dir.write("products.csv", PRODUCTS);
    let three_decimals = dir.write("prices.csv", &PRODUCTS.replace("32.50", "32.505"));
    let unknown_column = dir.write("columns.csv", &PRODUCTS.replace("postcode", "zipcode"));
    let no_extension = dir.write("products", PRODUCTS);
    let not_json = dir.write("catalogue.json", "[1, 2]");
    sim.reset_counters();
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["--catalogue", &three_decimals], "line 2: price"),
        (vec!["--catalogue", &unknown_column], "zipcode"),
        (vec!["--catalogue", &no_extension], "--format"),
        (vec!["--catalogue", &not_json], "catalogue"),
        (vec!["--catalogue", "/nonexistent/products.csv"], "--catalogue"),
        (vec!["--catalogue", &products, "--state", "memory:"], "--state"),
        (vec!["--catalogue", &products, "--state", "ftp://x/state"], "--state"),
        (vec!["--catalogue", &products, "--concurrency", "0"], "--concurrency"),
        (vec!["--catalogue", &products, "--format", "xml"], "--format"),
        (vec![], "--catalogue"),
    ];
    for (args, named) in cases {
        let mut all = vec!["mp", "sync"];
        all.extend(&args);
        let r = env.run(&all);
        assert_eq!(r.code, 2, "{args:?}:\n{}\n{}", r.stdout, r.stderr);
        assert!(r.stderr.contains(named), "{args:?} should name {named}:\n{}", r.stderr);
        // With --json the error is a document too.
        all.push("--json");
        let r = env.run(&all);
        assert_eq!(r.code, 2);
        assert_eq!(r.json()["error"]["exit_code"], 2, "{}", r.stdout);
    }
    let sent: u64 = sim.request_counts().values().sum();
    assert_eq!(sent, 0, "bad input sent requests: {:?}", sim.request_counts());
    assert!(!dir.default_state().exists());
}

/// On a terminal a spinner is drawn on stderr (and cleared); piped, nothing is drawn (every
/// run above checks that).
#[test]
fn a_spinner_in_a_real_terminal() {
    use portable_pty::{native_pty_system, CommandBuilder, PtySize};
    use std::io::Read;
    let (sim, dir) = setup();
    let token = refresh_token(&sim);
    let products = dir.write("products.csv", PRODUCTS);
    // Slow enough to be drawn: every request waits a little.
    sim.set_latency(Duration::from_millis(100));
    let pair = native_pty_system().openpty(PtySize { rows: 40, cols: 140, pixel_width: 0, pixel_height: 0 }).unwrap();
    let mut cmd = CommandBuilder::new(BIN);
    cmd.env_clear();
    cmd.env("TERM", "xterm-256color");
    cmd.env("XDG_CONFIG_HOME", dir.config());
    cmd.env("SELLKIT_MP_BASE_URL", sim.marktplaats_url("marktplaats"));
    cmd.env("SELLKIT_MP_CLIENT_ID", sim.mp_client_id());
    cmd.env("SELLKIT_MP_CLIENT_SECRET", sim.mp_client_secret());
    cmd.env("SELLKIT_MP_REFRESH_TOKEN", &token);
    for a in ["mp", "sync", "--catalogue", &products] {
        cmd.arg(a);
    }
    let mut child = pair.slave.spawn_command(cmd).unwrap();
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().unwrap();
    let collector = std::thread::spawn(move || {
        let mut all = Vec::new();
        let mut buf = [0u8; 4096];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            all.extend_from_slice(&buf[..n]);
        }
        String::from_utf8_lossy(&all).into_owned()
    });
    let status = child.wait().unwrap();
    drop(pair.master);
    let screen = collector.join().unwrap();
    assert!(status.success(), "{screen}");
    assert!(screen.contains("syncing 3 keys"), "no spinner:\n{screen}");
    assert!(screen.contains('\u{1b}'), "no terminal drawing:\n{screen}");
    assert!(screen.contains("created=3"), "{screen}");
    assert!(!screen.contains(&token));
}
