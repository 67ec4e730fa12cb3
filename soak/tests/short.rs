//! The short soak of the test command: 1,500 operations with at least 10% of the responses
//! faulted; nothing lost, nothing duplicated, every failure typed, no secret in the TRACE logs.
//! `scripts/soak` runs the long one (10,000 operations, release build).

use sellkit_soak::{find_secrets, install_trace_log, run, Config};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn short_soak_loses_nothing_duplicates_nothing_and_leaks_nothing() {
    let log = std::env::temp_dir().join(format!("sellkit-soak-test-{}.log", std::process::id()));
    install_trace_log(&log).unwrap();
    let cfg = Config { operations: 1_500, expire_tokens_every: 300, ..Config::default() };
    let (report, secrets) = run(&cfg).await.unwrap();
    println!("{report}");

    assert_eq!(report.operations, 1_500);
    assert_eq!(report.succeeded + report.failed_typed + report.failed_outcome_unknown, 1_500, "every operation reported once");
    assert!(report.fault_share() >= 0.10, "faulted share {:.3}", report.fault_share());
    for kind in ["status 503", "status 429", "drop-before", "drop-after", "stall", "truncate"] {
        assert!(report.faults.get(kind).copied().unwrap_or(0) > 0, "no {kind} fault was injected: {:?}", report.faults);
    }
    assert!(report.failed_outcome_unknown > 0, "the faults never left an outcome unknown");
    assert_eq!(report.lost, 0, "{:#?}", report.problems);
    assert_eq!(report.duplicated, 0, "{:#?}", report.problems);
    assert_eq!(report.untyped, 0, "{:#?}", report.problems);
    assert_eq!(report.forced_expiries, 4);
    // One refresh per forced expiry and client, plus the first token, plus retries of faulted
    // token requests: never a storm of refreshes.
    let bound = (report.forced_expiries + 1) * 3 + report.faults_total() / 4;
    assert!(report.eqp_token_requests + report.mp_token_requests <= bound, "{report}");
    assert!(report.mp_token_requests >= 2 * (report.forced_expiries + 1), "each platform's token was refreshed after each expiry");

    let (found, bytes) = find_secrets(&log, &secrets).unwrap();
    let text = std::fs::read_to_string(&log).unwrap();
    let _ = std::fs::remove_file(&log);
    assert!(bytes > 100_000 && text.contains("sellkit::http") && text.contains("TRACE"), "the TRACE log was captured ({bytes} bytes)");
    assert!(secrets.len() >= 4 + 2, "credentials and issued tokens are searched: {}", secrets.len());
    assert!(found.is_empty(), "secrets in the log: {found:?}");
}

#[test]
fn the_secret_search_finds_what_is_there() {
    let path = std::env::temp_dir().join(format!("sellkit-soak-search-{}.log", std::process::id()));
    std::fs::write(&path, "a line\nAuthorization: Bearer tok-123-abc\n").unwrap();
    let secrets = vec![("token".to_owned(), "tok-123-abc".to_owned()), ("other".to_owned(), "zzz-not-there".to_owned())];
    let (found, _) = find_secrets(&path, &secrets).unwrap();
    let _ = std::fs::remove_file(&path);
    assert_eq!(found, vec!["token".to_owned(), "an Authorization header value (Bearer)".to_owned()]);
}
