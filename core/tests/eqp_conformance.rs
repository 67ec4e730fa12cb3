//! Conformance with the official docs' JSON examples (tests/fixtures/eqp/examples.json, kept
//! unedited; tests/fixtures/README.md says where they come from): every request example is produced through the typed API, every
//! response example decodes through the typed models and re-encodes without losing a field.

use sellkit::batch::decode_entries;
use sellkit::eqp::model::*;
use sellkit::eqp::{Callbacks, Keys, Model, Packages, Tracks};
use sellkit::Secret;
use serde_json::{json, Value};

fn examples() -> Vec<Value> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/eqp/examples.json");
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
    serde_json::from_str::<Value>(&text).unwrap().as_array().unwrap().clone()
}

fn ts(s: &str) -> Timestamp {
    Timestamp::parse(s).unwrap()
}

fn artifact(id: &str) -> Artifact {
    Artifact::file(id)
}

fn strs(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

fn price(s: &str) -> Price {
    Price::parse(s).unwrap()
}

fn compat(versions: &[(&str, &[&str])]) -> Vec<VersionCompatibility> {
    versions.iter().map(|(e, v)| VersionCompatibility { edition: Some(Edition::from(*e)), versions: Some(strs(v)), ..Default::default() }).collect()
}

fn price_entry(edition: &str, p: &str, install: Option<&str>) -> PriceEntry {
    PriceEntry {
        edition: Some(Edition::from(edition)),
        currency_code: Some("USD".into()),
        price: Some(price(p)),
        installation_price: install.map(price),
        ..Default::default()
    }
}

fn gallery() -> MediaArtifacts {
    MediaArtifacts {
        icon_image: Some(artifact("5c129cd41ba478.65767699.1")),
        gallery_images: Some(
            ["5c644fa344e5d7.04253635.8", "5c648b98446065.77844389.4", "5c648b984d0228.21794482.7", "5c648b98698ed0.64632056.3", "5c648b986a3d98.83415858.0"]
                .iter()
                .map(|id| artifact(id))
                .collect(),
        ),
        video_urls: Some(strs(&["https://www.youtube.com/watch?v=l33T2-YC4tk", "https://www.youtube.com/watch?v=682p52tFcmY"])),
        ..Default::default()
    }
}

fn docs() -> DocumentationArtifacts {
    DocumentationArtifacts {
        user: Some(artifact("5c644d97bb7c41.37505716.6")),
        installation: Some(artifact("5c644daf21fee4.39102137.2")),
        reference: Some(artifact("5c644f4dcb1900.18508194.9")),
        ..Default::default()
    }
}

/// Build a package fragment field by field: strictly decoded (every key must land in a typed
/// field), then written back.
fn typed_fragment(body: &Value) -> Value {
    let p = Package::from_input(body, "fragment").unwrap();
    assert!(p.extra.is_empty(), "untyped keys {:?}", p.extra.keys().collect::<Vec<_>>());
    p.to_json()
}

/// The JSON the SDK would send for request example `i`, built with the typed API.
fn produce(i: usize, e: &Value) -> Option<Value> {
    let body = &e["body"];
    let endpoint = e["endpoint"].as_str().unwrap();
    Some(match (i, endpoint) {
        (_, "POST /rest/v1/app/session/token") => SessionRequest::new(body.get("expires_in").and_then(Value::as_u64)).to_json(),
        (_, "PUT /rest/v1/users/:mage_id") if body.get("api_callbacks").is_some() => Callbacks::register_body(&[ApiCallback {
            name: Some("My 1st EQP Callback".into()),
            url: Some("https://developer.example.com/rest/v1/callback".into()),
            username: Some("key".into()),
            password: Some(Secret::new("secret")),
            ..Default::default()
        }])
        .unwrap(),
        (_, "PUT /rest/v1/users/:mage_id") => ProfileUpdate {
            action: Some(ProfileAction::Submit),
            fields: Profile {
                personal_profile: Some(PersonalProfile {
                    bio: Some("My extensions have won Nobel Prizes in both literature and physics.".into()),
                    ..Default::default()
                }),
                ..Default::default()
            },
        }
        .to_json(),
        (_, "POST :callback_url") if body["callback_event"] == "malware_scan_complete" => CallbackEnvelope {
            callback_event: Some(CallbackEvent::MalwareScanComplete),
            update_info: Some(UpdateInfo {
                file_upload_id: Some("2309480238.238475.0".into()),
                tool_result: Some(MalwareStatus::Passed),
                modified_at: Some(ts("2022-08-25 19:20:21")),
                ..Default::default()
            }),
            ..Default::default()
        }
        .to_json(),
        (_, "POST :callback_url") => CallbackEnvelope {
            callback_event: Some(CallbackEvent::EqpStatusUpdate),
            update_info: Some(UpdateInfo {
                submission_id: Some("s5w9k703ru".into()),
                item_id: Some("user_upload_version_1".into()),
                eqp_flow: Some("marketing".into()),
                current_status: Some("approved".into()),
                eqp_status: Some(EqpStatus {
                    overall: Some(OverallStatus::InProgress),
                    technical: Some(TechnicalStatus::Draft),
                    marketing: Some(MarketingStatus::Approved),
                    ..Default::default()
                }),
                modified_at: Some(ts("2022-08-25 19:20:21")),
                ..Default::default()
            }),
            ..Default::default()
        }
        .to_json(),
        (_, "POST /rest/v1/users/:mage_id/keys") => Keys::create_body(&[
            NewKey { label: Some("key_for_alice".into()), ..Default::default() },
            NewKey { label: Some("key_for_charlie".into()), uid: Some("MAG123456789".into()), ..Default::default() },
            NewKey { label: Some("key_for_my_org".into()), uid: Some("000CBA111DCB222@AdobeOrg".into()), ..Default::default() },
        ])
        .unwrap(),
        (_, e) if e.starts_with("PUT /rest/v1/users/:mage_id/keys/") => Keys::set_enabled_body(true, Some("MAG123456789")),
        (_, "PUT /rest/v1/products/packages/:submission_id") if body["action"].get("overall").is_some() => {
            Packages::overall_action(OverallAction::Remove).to_json()
        }
        (_, "PUT /rest/v1/products/packages/:submission_id") => Packages::track_action(Tracks::MARKETING, TrackAction::Submit).unwrap().to_json(),
        (_, "POST /rest/v1/products/packages") if body.is_array() => Packages::create_body(&[Package {
            action: Some(PackageAction { technical: Some(TrackAction::Submit), marketing: Some(TrackAction::Submit), ..Default::default() }),
            package_type: Some(PackageType::Extension),
            platform: Some("M2".into()),
            version_compatibility: Some(compat(&[("CE", &["2.3", "2.4"]), ("EE", &["2.3", "2.4"]), ("ECE", &["2.3", "2.4"])])),
            name: Some("One Click Checkout".into()),
            long_description: Some("<Long description here>".into()),
            release_notes: Some("<Release notes here>".into()),
            version: Some("1.1.5".into()),
            artifact: Some(artifact("5c11e656057b42.97931218.5")),
            documentation_artifacts: Some(docs()),
            media_artifacts: Some(gallery()),
            categories: Some(strs(&["//Extensions//Payments & Security//Checkout Enhancements"])),
            pricing_model: Some(PricingModel { pricing_type: Some(PricingType::OneTime), payment_period: Some(1), ..Default::default() }),
            prices: Some(vec![price_entry("CE", "15.50", None), price_entry("EE", "45.00", Some("0.00")), price_entry("ECE", "30.00", Some("0.00"))]),
            license_type: Some(LicenseType::Bsd),
            ..Default::default()
        }])
        .unwrap(),
        // Field fragments of the package reference.
        (_, "POST /rest/v1/products/packages") => match body.as_object().unwrap().keys().next().unwrap().as_str() {
            "action" => Packages::track_action(Tracks::BOTH, TrackAction::Submit).unwrap().to_json(),
            "artifact" => Package { artifact: Some(artifact("5c11e656057b42.97931218.5")), ..Default::default() }.to_json(),
            "documentation_artifacts" => Package { documentation_artifacts: Some(docs()), ..Default::default() }.to_json(),
            "media_artifacts" => Package { media_artifacts: Some(gallery()), ..Default::default() }.to_json(),
            "prices" => Package {
                prices: Some(vec![price_entry("CE", "15.50", None), price_entry("EE", "45.00", Some("0.00")), price_entry("ECE", "60.00", Some("0.00"))]),
                ..Default::default()
            }
            .to_json(),
            "pricing_model" => Package {
                pricing_model: Some(PricingModel { pricing_type: Some(PricingType::Subscription), payment_period: Some(12), ..Default::default() }),
                ..Default::default()
            }
            .to_json(),
            "browsers" => Package { browsers: Some(strs(&["chrome", "firefox"])), ..Default::default() }.to_json(),
            "version_compatibility" => Package {
                version_compatibility: Some(compat(&[("CE", &["2.3", "2.4"]), ("EE", &["2.4"]), ("ECE", &["2.4"])])),
                ..Default::default()
            }
            .to_json(),
            // The docs' snippets use the key `options` for marketing_options/technical_options:
            // the typed option structs, sent under that key through `extra`.
            "options" if body["options"].get("support_web_api").is_some() => {
                let o = MarketingOptions {
                    released_with_setup_scripts: Some(true),
                    included_service_contracts: Some(false),
                    included_external_service_contracts: Some(true),
                    support_responsive_design: Some(true),
                    custom_implementation_ui: Some(true),
                    support_web_api: Some(true),
                    support_test_coverage: Some(false),
                    ..Default::default()
                };
                let mut p = Package::default();
                p.extra.insert("options".into(), o.to_json());
                p.to_json()
            }
            "options" => {
                let o = TechnicalOptions {
                    page_builder_new_content_type: Some(true),
                    page_builder_extends_content_type: Some(false),
                    page_builder_used_for_content_creation: Some(true),
                    ..Default::default()
                };
                let mut p = Package::default();
                p.extra.insert("options".into(), o.to_json());
                p.to_json()
            }
            // browser_os_compatibility, shared_packages, support_tiers: typed fields, filled
            // from the example.
            _ => typed_fragment(body),
        },
        _ => return None,
    })
}

/// Decode response example `e` with the typed models and write it back.
fn round_trip(e: &Value) -> Option<Value> {
    let body = &e["body"];
    let endpoint = e["endpoint"].as_str().unwrap();
    fn each<T: Model>(v: &Value) -> Value {
        Value::Array(v.as_array().unwrap().iter().map(|x| T::from_json(x).unwrap().to_json()).collect())
    }
    Some(match endpoint {
        "POST /rest/v1/app/session/token" => {
            let g = SessionGrant::from_json(body).unwrap();
            assert!(!format!("{g:?}").contains("baGXoStRuR9V"), "ust never in Debug");
            g.to_json()
        }
        "PUT /rest/v1/users/:mage_id" | "GET /rest/v1/users/:mage_id" | "GET /rest/v1/users/:mage_id?style=summary" => {
            let p = Profile::from_json(body).unwrap();
            p.to_json()
        }
        "GET /rest/v1/files/uploads/:file_upload_id" => {
            let f = FileRecord::from_json(body).unwrap();
            assert!(f.scan_passed());
            f.to_json()
        }
        "POST /rest/v1/files/uploads" => each::<FileRecord>(body),
        "ANY /rest/v1/*" => ApiErrorBody::from_json(body).unwrap().to_json(),
        "POST /rest/v1/products/packages" => {
            // Per-item entries: code/message plus the package fields.
            let entries = body.as_array().unwrap().clone();
            let sent = entries.len();
            let items = decode_entries(entries, sent, |v| Package::from_json(&v)).unwrap();
            assert!(items.iter().all(|i| i.ok == (i.code == 200)));
            Value::Array(
                items
                    .iter()
                    .map(|i| {
                        let mut v = i.data.as_ref().map(Model::to_json).unwrap_or_else(|| json!({}));
                        v["code"] = json!(i.code);
                        v["message"] = json!(i.message);
                        v
                    })
                    .collect(),
            )
        }
        "GET /rest/v1/products/packages" => {
            let list = body.as_array().unwrap();
            let p = Package::from_json(&list[0]).unwrap();
            assert_eq!(p.prices.as_ref().unwrap()[0].price.unwrap().to_string(), "15.50");
            assert!(p.extra.is_empty(), "every documented field is typed: {:?}", p.extra.keys().collect::<Vec<_>>());
            each::<Package>(body)
        }
        "GET /rest/v1/products/packages/:submission_id" => Package::from_json(body).unwrap().to_json(),
        "GET /rest/v1/products/packages/:submission_id/status" => each::<ToolRun>(body),
        "GET /rest/v1/products/packages/:submission_id/status/:tool_name/:tool_run_id" => {
            let d = TestDetail::from_json(body).unwrap();
            assert!(!d.passed(), "the docs' examples are all FAIL");
            assert!(!d.reports().is_empty());
            d.to_json()
        }
        "GET /rest/v1/users/:mage_id/keys" | "PUT /rest/v1/users/:mage_id/keys/:url_encoded_label_of_m2_key" => KeyList::from_json(body).unwrap().to_json(),
        "POST /rest/v1/users/:mage_id/keys" => {
            let entries = body["m2"].as_array().unwrap();
            let items = decode_entries(entries.clone(), entries.len(), |v| ComposerKey::from_json(&v)).unwrap();
            assert!(items.iter().all(|i| i.ok));
            KeyList::from_json(body).unwrap().to_json()
        }
        _ => return None,
    })
}

#[test]
fn docs_examples_are_produced_and_decoded() {
    let all = examples();
    let requests: Vec<(usize, &Value)> = all.iter().enumerate().filter(|(_, e)| e["kind"] == "request").collect();
    let responses: Vec<(usize, &Value)> = all.iter().enumerate().filter(|(_, e)| e["kind"] == "response").collect();
    let mut produced = 0;
    let mut failures = Vec::new();
    for (i, e) in &requests {
        match produce(*i, e) {
            Some(v) if v == e["body"] => produced += 1,
            Some(v) => failures.push(format!("request #{i} {}: produced {v}\n   expected {}", e["endpoint"], e["body"])),
            None => failures.push(format!("request #{i} {}: no typed way to produce it", e["endpoint"])),
        }
    }
    let mut decoded = 0;
    for (i, e) in &responses {
        match round_trip(e) {
            Some(v) if v == e["body"] => decoded += 1,
            Some(v) => failures.push(format!("response #{i} {}: re-encoded {v}\n   expected {}", e["endpoint"], e["body"])),
            None => failures.push(format!("response #{i} {}: no model", e["endpoint"])),
        }
    }
    println!("requests produced {produced}/{}", requests.len());
    println!("responses decoded {decoded}/{}", responses.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!((produced, requests.len()), (26, 26));
    assert_eq!((decoded, responses.len()), (19, 19));
}

#[test]
fn prices_are_written_with_two_decimals_on_the_wire() {
    let body = Packages::create_body(&[Package { prices: Some(vec![price_entry("EE", "45.00", Some("0.00"))]), ..Default::default() }]).unwrap();
    let wire = serde_json::to_string(&Package::from_json(&body[0]).unwrap()).unwrap();
    assert!(wire.contains("\"price\":45.00") && wire.contains("\"installation_price\":0.00"), "{wire}");
}
