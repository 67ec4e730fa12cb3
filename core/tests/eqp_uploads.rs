//! Uploads (paths, bytes, streams; `file[]` parts; progress; replays re-open files; memory that
//! does not grow with the file) and waiting for malware scans.

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use common::{client, sim};
use futures_util::stream;
use sellkit::eqp::model::Model;
use sellkit::eqp::{ScanWait, UploadSource};
use sellkit::ErrorKind;
use sellkit_simulator::Verdict;
use serde_json::json;

const UPLOAD: &str = "POST /rest/v1/files/uploads";

fn temp_file(name: &str, content: &[u8]) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("sellkit-upload-{}-{}", std::process::id(), fastrand::u64(..)));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::File::create(&path).unwrap().write_all(content).unwrap();
    path
}

fn wait_quick(timeout_ms: u64) -> ScanWait {
    ScanWait { timeout: Duration::from_millis(timeout_ms), interval: Duration::from_millis(20), max_interval: Duration::from_millis(100), require_pass: false }
}

#[tokio::test]
async fn paths_bytes_and_streams_in_one_request_matched_in_order() {
    let sim = sim();
    let c = client(&sim);
    let path = temp_file("package.zip", b"abc");
    let chunks: Vec<std::io::Result<Bytes>> = vec![Ok(Bytes::from_static(b"message ")), Ok(Bytes::from_static(b"digest"))];
    let sources = vec![
        UploadSource::path(&path),
        UploadSource::bytes("guide.pdf", Bytes::from_static(b"")),
        UploadSource::stream_once("icon.png", Some(14), Box::pin(stream::iter(chunks))),
        UploadSource::Bytes { filename: "data.bin".into(), content_type: Some("application/x-custom".into()), bytes: Bytes::from_static(b"1234") },
    ];
    let progress: Arc<Mutex<Vec<(u64, u64)>>> = Arc::default();
    let seen = progress.clone();
    let records = c.files().upload(sources, Some(Arc::new(move |sent, total| seen.lock().unwrap().push((sent, total))))).await.unwrap();
    let names: Vec<_> = records.iter().map(|r| r.filename.clone().unwrap()).collect();
    assert_eq!(names, ["package.zip", "guide.pdf", "icon.png", "data.bin"]);
    let types: Vec<_> = records.iter().map(|r| r.content_type.clone().unwrap()).collect();
    assert_eq!(types, ["application/zip", "application/pdf", "image/png", "application/x-custom"]);
    assert_eq!(records.iter().map(|r| r.size.unwrap()).collect::<Vec<_>>(), vec![3, 0, 14, 4]);

    let p = progress.lock().unwrap().clone();
    assert!(!p.is_empty());
    assert!(p.windows(2).all(|w| w[0].0 < w[1].0), "monotonic: {p:?}");
    assert_eq!(*p.last().unwrap(), (21, 21), "{p:?}");

    // The scan finishes; the hashes are the MD5s of what was sent.
    let ids: Vec<String> = records.iter().map(|r| r.file_upload_id.clone().unwrap()).collect();
    let report = c.files().wait_for_scan(&ids, wait_quick(5000)).await.unwrap();
    assert!(report.all_passed(), "{report:?}");
    let hash = |i: usize| report.passed.iter().find(|r| r.file_upload_id.as_deref() == Some(&ids[i])).unwrap().file_hash.clone().unwrap();
    assert_eq!(hash(0), "900150983cd24fb0d6963f7d28e17f72");
    assert_eq!(hash(1), "d41d8cd98f00b204e9800998ecf8427e");
    assert_eq!(hash(2), "f96b697d7cb7938d525a2f31aaf161d0");
    let listed: Vec<_> = futures_util::StreamExt::collect::<Vec<_>>(c.files().list(Default::default())).await;
    assert_eq!(listed.len(), 4);
}

#[tokio::test]
async fn only_file_brackets_parts_are_accepted() {
    let sim = sim();
    let c = client(&sim);
    c.authenticate().await.unwrap();
    // The simulator, like the docs, refuses parts not named `file[]`: send one by hand.
    let token = sim.issued_eqp_tokens().pop().unwrap();
    let form = reqwest::multipart::Form::new().part("file[0]", reqwest::multipart::Part::bytes(b"x".to_vec()).file_name("a.zip"));
    let resp = reqwest::Client::new()
        .post(format!("{}/rest/v1/files/uploads", sim.eqp_url()))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    // The SDK's own request passes.
    c.files().upload(vec![UploadSource::bytes("a.zip", vec![1u8, 2, 3])], None).await.unwrap();
}

#[tokio::test]
async fn a_replayed_upload_reopens_the_file_and_sends_it_all() {
    let sim = sim();
    let c = client(&sim);
    c.authenticate().await.unwrap();
    let content: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
    let path = temp_file("big.zip", &content);
    // The first attempt is refused with 401: the token is refreshed and the request replayed.
    sim.fail_next(UPLOAD, 1, 401, None).unwrap();
    let progress: Arc<Mutex<Vec<u64>>> = Arc::default();
    let seen = progress.clone();
    let records = c.files().upload(vec![UploadSource::path(&path)], Some(Arc::new(move |s, _| seen.lock().unwrap().push(s)))).await.unwrap();
    assert_eq!(sim.request_count(UPLOAD), 2);
    assert_eq!(records[0].size, Some(300_000), "the replay carried the whole file");
    let p = progress.lock().unwrap().clone();
    assert!(p.windows(2).all(|w| w[0] < w[1]) && *p.last().unwrap() == 300_000, "{:?}", &p[p.len().saturating_sub(3)..]);

    // A one-shot stream cannot be replayed: an error, never an empty upload.
    sim.fail_next(UPLOAD, 1, 401, None).unwrap();
    let once = UploadSource::stream_once("s.zip", Some(3), Box::pin(stream::iter(vec![Ok(Bytes::from_static(b"abc"))])));
    let e = c.files().upload(vec![once], None).await.unwrap_err();
    assert!(e.message().contains("cannot be sent again"), "{e}");
}

fn rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    status.lines().find(|l| l.starts_with("VmRSS:")).and_then(|l| l.split_whitespace().nth(1)).unwrap().parse().unwrap()
}

#[tokio::test]
async fn a_200_mb_file_is_streamed_not_held_in_memory() {
    let sim = sim();
    let c = client(&sim);
    c.authenticate().await.unwrap();
    let path = temp_file("sparse.zip", b"");
    let size: u64 = 200 * 1024 * 1024;
    std::fs::OpenOptions::new().write(true).open(&path).unwrap().set_len(size).unwrap();
    let before = rss_kib();
    let peak = Arc::new(std::sync::atomic::AtomicU64::new(before));
    let p = peak.clone();
    let records = c
        .files()
        .upload(
            vec![UploadSource::path(&path)],
            Some(Arc::new(move |_, _| {
                p.fetch_max(rss_kib(), std::sync::atomic::Ordering::Relaxed);
            })),
        )
        .await
        .unwrap();
    let growth_mib = (peak.load(std::sync::atomic::Ordering::Relaxed).max(rss_kib()) - before) / 1024;
    assert_eq!(records[0].size, Some(size));
    assert!(growth_mib < 64, "RSS grew by {growth_mib} MiB while uploading 200 MiB");
    let _ = std::fs::remove_file(&path);
}

#[tokio::test]
async fn wait_for_scan_reports_passed_failed_and_timed_out() {
    let sim = sim();
    let c = client(&sim);
    sim.set_eqp_scan_delay(Duration::from_millis(100));
    let records = c
        .files()
        .upload(vec![UploadSource::bytes("good.zip", vec![1u8]), UploadSource::bytes("malware.zip", vec![2u8])], None)
        .await
        .unwrap();
    let ids: Vec<String> = records.iter().map(|r| r.file_upload_id.clone().unwrap()).collect();
    assert!(c.files().get(&ids[0]).await.unwrap().malware_status.unwrap().is_pending());
    let report = c.files().wait_for_scan(&ids, wait_quick(5000)).await.unwrap();
    assert_eq!(report.passed.len(), 1);
    assert_eq!(report.failed.len(), 1);
    assert_eq!(report.failed[0].filename.as_deref(), Some("malware.zip"));
    assert!(report.failed[0].file_hash.is_none(), "no hash unless the scan passed");
    assert!(!report.all_passed());

    sim.set_eqp_scan_delay(Duration::from_secs(30));
    sim.set_eqp_scan_verdict(Verdict::Fail);
    let slow = c.files().upload(vec![UploadSource::bytes("slow.zip", vec![3u8])], None).await.unwrap();
    let id = slow[0].file_upload_id.clone().unwrap();
    let started = std::time::Instant::now();
    let report = c.files().wait_for_scan(std::slice::from_ref(&id), wait_quick(300)).await.unwrap();
    assert_eq!(report.timed_out, vec![id]);
    assert!(started.elapsed() < Duration::from_secs(2));

    let e = c.files().wait_for_scan(&["nope.1".into()], wait_quick(300)).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
}

/// The safe release flow: wait with `require_pass`, and a file that failed its scan stops the
/// flow with an error naming it, before any package refers to it (which the service refuses
/// with item code 1213).
#[tokio::test]
async fn require_pass_names_the_files_that_failed_before_a_package_uses_them() {
    let sim = sim();
    let c = client(&sim);
    let records = c
        .files()
        .upload(vec![UploadSource::bytes("good.zip", vec![1u8]), UploadSource::bytes("malware.zip", vec![2u8])], None)
        .await
        .unwrap();
    let ids: Vec<String> = records.iter().map(|r| r.file_upload_id.clone().unwrap()).collect();

    let report = c.files().wait_for_scan(&ids, wait_quick(5000)).await.unwrap();
    let e = report.raise_for_failures().unwrap_err();
    let e2 = c.files().wait_for_scan(&ids, wait_quick(5000).require_pass(true)).await.unwrap_err();
    for e in [&e, &e2] {
        assert_eq!((e.kind(), e.code()), (ErrorKind::Validation, "malware-scan-failed"));
        assert!(e.message().contains(&format!("malware.zip (id {}, status fail)", ids[1])), "{e}");
        assert!(e.message().starts_with("1 of 2 files failed"), "{e}");
        assert!(!e.message().contains("good.zip"), "{e}");
        assert_eq!(e.details().len(), 1);
        assert_eq!((e.details()[0].field.as_deref(), e.details()[0].code.as_deref()), (Some(ids[1].as_str()), Some("fail")));
    }
    // Only the good file: passes, and raise_for_failures is quiet.
    let good = c.files().wait_for_scan(&ids[..1], wait_quick(5000).require_pass(true)).await.unwrap();
    good.raise_for_failures().unwrap();

    // What the check prevents: the service refuses a package whose artifact failed the scan.
    let mut package = common::complete("Unsafe", "unsafe-1");
    package["artifact"] = json!({"file_upload_id": ids[1]});
    let package = sellkit::eqp::Package::from_json(&package).unwrap();
    let created = c.packages().create(vec![package]).await.unwrap();
    assert_eq!(created.items[0].code, 1213, "{:?}", created.items[0]);

    // A scan still running when the wait ends: a timeout error naming the id.
    sim.set_eqp_scan_delay(Duration::from_secs(30));
    let slow = c.files().upload(vec![UploadSource::bytes("slow.zip", vec![3u8])], None).await.unwrap();
    let id = slow[0].file_upload_id.clone().unwrap();
    let e = c.files().wait_for_scan(std::slice::from_ref(&id), wait_quick(200).require_pass(true)).await.unwrap_err();
    assert_eq!((e.kind(), e.code()), (ErrorKind::Timeout, "malware-scan-pending"));
    assert!(e.message().contains(&id), "{e}");
}
