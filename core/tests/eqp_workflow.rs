//! The review workflow over PUT, status transitions in the simulator, and test results.

mod common;

use std::time::Duration;

use common::{call, client, complete, package, sim};
use sellkit::eqp::model::{MarketingStatus, OverallStatus, TechnicalStatus};
use sellkit::eqp::{TestTarget, Tracks};
use sellkit::{ApiCode, ErrorKind};
use sellkit_simulator::Verdict;
use serde_json::json;

#[tokio::test]
async fn submit_review_release_remove() {
    let sim = sim();
    let c = client(&sim);
    let r = c.packages().create(vec![package(complete("One Click", "wf-1"))]).await.unwrap();
    let id = r.items[0].data.as_ref().unwrap().submission_id.clone().unwrap();
    let p = c.packages().get(&id).await.unwrap();
    let status = p.eqp_status.clone().unwrap();
    assert_eq!(status.overall, Some(OverallStatus::Draft));
    assert!(p.actions_now_available.as_ref().unwrap().allows("technical", "submit"));

    let p = c.packages().submit(&id, Tracks::BOTH).await.unwrap().unwrap();
    let status = p.eqp_status.clone().unwrap();
    assert_eq!(status.technical, Some(TechnicalStatus::InAutomation));
    assert_eq!(status.marketing, Some(MarketingStatus::AwaitingMarketingReview));
    assert_eq!(status.overall, Some(OverallStatus::InProgress));
    assert!(p.actions_now_available.as_ref().unwrap().allows("technical", "recall"));

    // In review, only recall is possible.
    let e = c.packages().update_one(&id, &package(json!({"name": "changed"}))).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Validation);
    assert_eq!(e.api_code(), Some(&ApiCode::Int(1221)));

    assert!(sim.complete_eqp_review(&id, "technical", Verdict::Pass));
    assert!(sim.complete_eqp_review(&id, "marketing", Verdict::Pass));
    let p = c.packages().get(&id).await.unwrap();
    assert_eq!(p.eqp_status.as_ref().unwrap().overall, Some(OverallStatus::ReleasedToStore));
    assert!(p.latest_launch_date.is_some());

    let p = c.packages().remove(&id).await.unwrap().unwrap();
    assert_eq!(p.eqp_status.unwrap().overall, Some(OverallStatus::DeveloperRemovedFromStore));
    // Re-publishing is a marketing submit.
    let p = c.packages().submit(&id, Tracks::MARKETING).await.unwrap().unwrap();
    assert_eq!(p.eqp_status.unwrap().marketing, Some(MarketingStatus::AwaitingMarketingReview));
}

#[tokio::test]
async fn recall_cancel_and_refused_actions() {
    let sim = sim();
    let c = client(&sim);
    let r = c.packages().create(vec![package(complete("Recall me", "wf-2")), package(json!({"name": "draft only"}))]).await.unwrap();
    let id = r.items[0].data.as_ref().unwrap().submission_id.clone().unwrap();
    let draft = r.items[1].data.as_ref().unwrap().submission_id.clone().unwrap();

    c.packages().submit(&id, Tracks::TECHNICAL).await.unwrap();
    let p = c.packages().recall(&id, Tracks::TECHNICAL).await.unwrap().unwrap();
    assert_eq!(p.eqp_status.unwrap().technical, Some(TechnicalStatus::Recalled));

    // Nothing to recall in a draft; an incomplete draft cannot be submitted.
    let e = c.packages().recall(&draft, Tracks::MARKETING).await.unwrap_err();
    assert_eq!(e.api_code(), Some(&ApiCode::Int(1220)));
    let e = c.packages().submit(&draft, Tracks::TECHNICAL).await.unwrap_err();
    assert_eq!(e.api_code(), Some(&ApiCode::Int(1208)));

    let p = c.packages().cancel(&draft).await.unwrap().unwrap();
    assert_eq!(p.eqp_status.unwrap().overall, Some(OverallStatus::CanceledByDeveloper));
    let e = c.packages().get("missing").await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);

    // The batch update carries per-item codes too.
    let updates = vec![
        package(json!({"submission_id": draft.clone(), "name": "renamed"})),
        package(json!({"submission_id": "nope", "name": "x"})),
    ];
    let r = c.packages().update(updates).await.unwrap();
    assert!(r.items[0].ok);
    assert_eq!(r.items[1].code, 1216);

    // Through the bindings' dispatch: the same, as JSON.
    let v = call(&c, "packages.submit", json!({"submission_id": id, "technical": true})).await.unwrap();
    assert_eq!(v["eqp_status"]["technical"], "in_automation");
    assert_eq!(v["prices"][0]["price"], "15.50");
}

#[tokio::test]
async fn reviews_finish_on_their_own_after_the_delay() {
    let sim = sim();
    let c = client(&sim);
    sim.set_eqp_review_delay(Some(Duration::from_millis(100)));
    sim.set_eqp_review_verdict(Verdict::Fail);
    let r = c.packages().create(vec![package({
        let mut p = complete("Auto", "wf-3");
        p["action"] = json!({"technical": "submit"});
        p
    })])
    .await
    .unwrap();
    let id = r.items[0].data.as_ref().unwrap().submission_id.clone().unwrap();
    assert_eq!(r.items[0].data.as_ref().unwrap().eqp_status.as_ref().unwrap().technical, Some(TechnicalStatus::InAutomation));
    let mut technical = None;
    for _ in 0..100 {
        technical = c.packages().get(&id).await.unwrap().eqp_status.unwrap().technical;
        if technical != Some(TechnicalStatus::InAutomation) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(technical, Some(TechnicalStatus::Rejected));
    // The failed run's results.
    let runs = c.test_results().summary(&TestTarget::SubmissionId(id.clone())).await.unwrap();
    let phpcs = runs.iter().find(|r| r.name.as_deref() == Some("phpcs")).unwrap();
    assert!(!phpcs.passed());
    let detail = c.test_results().detail(&id, "phpcs", phpcs.tool_run_id.as_deref().unwrap()).await.unwrap();
    assert!(!detail.passed());
    assert!(detail.reports().iter().any(|r| r.error_count() == Some(1)));
}

#[tokio::test]
async fn test_results_by_submission_sku_and_item() {
    let sim = sim();
    let c = client(&sim);
    let mut p = complete("Tested", "wf-4");
    p["sku"] = json!("acme/tested");
    p["action"] = json!({"technical": "submit", "marketing": "submit"});
    let r = c.packages().create(vec![package(p)]).await.unwrap();
    let id = r.items[0].data.as_ref().unwrap().submission_id.clone().unwrap();
    sim.complete_eqp_review(&id, "technical", Verdict::Pass);
    sim.complete_eqp_review(&id, "marketing", Verdict::Fail);

    for target in [TestTarget::SubmissionId(id.clone()), TestTarget::Sku("acme/tested".into()), TestTarget::ItemId("wf-4".into())] {
        let runs = c.test_results().summary(&target).await.unwrap();
        let names: Vec<_> = runs.iter().map(|r| r.name.clone().unwrap()).collect();
        assert_eq!(names, ["phpcs", "varnish", "marketing"], "{target:?}");
    }
    let runs = c.test_results().summary(&TestTarget::SubmissionId(id.clone())).await.unwrap();
    let run_of = |n: &str| runs.iter().find(|r| r.name.as_deref() == Some(n)).unwrap().tool_run_id.clone().unwrap();
    let phpcs = c.test_results().detail(&id, "phpcs", &run_of("phpcs")).await.unwrap();
    assert!(phpcs.passed(), "upper-case PASS compares as passed");
    assert_eq!(phpcs.status.as_ref().unwrap().as_str(), "PASS");
    assert_eq!(phpcs.reports().len(), 2, "one report per PHP version");
    let varnish = c.test_results().detail(&id, "varnish", &run_of("varnish")).await.unwrap();
    assert_eq!(varnish.reports()[0].magento_platform.as_deref(), Some("M2"));
    let marketing = c.test_results().detail(&id, "marketing", &run_of("marketing")).await.unwrap();
    assert!(!marketing.passed());
    assert!(marketing.reports.as_ref().unwrap().single, "marketing reports come as one object");
    assert_eq!(marketing.reports()[0].reasons().len(), 1);
    assert!(runs.iter().find(|r| r.name.as_deref() == Some("marketing")).unwrap().status.as_ref().unwrap().failed());

    // Dispatch: exactly one target; `run_id` may be a number.
    let v = call(&c, "test_results.summary", json!({"item_id": "wf-4"})).await.unwrap();
    assert_eq!(v.as_array().unwrap().len(), 3);
    let run: u64 = run_of("phpcs").parse().unwrap();
    let v = call(&c, "test_results.detail", json!({"submission_id": id, "tool": "phpcs", "run_id": run})).await.unwrap();
    assert_eq!(v["status"], "PASS");
}
