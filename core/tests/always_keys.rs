//! The promise behind the generated result types: a key a model marks `[always]` (a required
//! key of the Python TypedDicts and TypeScript interfaces) is in every documented response
//! example of that model (tests/fixtures/), and in every result the simulator gives through the
//! catalogue, in the view form Python and Node receive. Decoding stays lenient either way: a
//! response without such a key still decodes (tested in the model tests); this test keeps the
//! typing promise honest.

mod common;
mod mp_common;

use std::collections::BTreeMap;

use sellkit::catalogue::{EQP, MARKTPLAATS};
use sellkit::model::{Describe, Registry, Ty, TypeDef};
use serde_json::{json, Value};

/// How often each key of each model was present, over everything checked: `(present, seen)`.
#[derive(Default)]
struct Presence(BTreeMap<(String, &'static str), (usize, usize)>);

/// Where `v`, read as `ty`, lacks an `[always]` key (or has it `null` while its type is not
/// optional), into `out`.
fn check(reg: &Registry, ty: &Ty, v: &Value, at: &str, out: &mut Vec<String>, seen: &mut Presence) {
    match ty {
        Ty::Named(name) => {
            let Some(TypeDef::Model { fields, .. }) = reg.types().get(name) else { return };
            let Some(obj) = v.as_object() else { return };
            // A batch entry's `data` is promised only for an item that succeeded.
            let failed_entry = name.ends_with("BatchItem") && obj.get("ok") == Some(&Value::Bool(false));
            for f in fields {
                if failed_entry && f.key == "data" {
                    continue;
                }
                let value = obj.get(f.key).or_else(|| f.alias.and_then(|a| obj.get(a)));
                let entry = seen.0.entry((name.clone(), f.key)).or_default();
                entry.1 += 1;
                let here = format!("{at}.{}", f.key);
                match value {
                    None if f.always => out.push(format!("{here} is missing")),
                    None => {}
                    Some(Value::Null) if f.always && !matches!(f.ty, Ty::Optional(_)) => {
                        entry.0 += 1;
                        out.push(format!("{here} is null"));
                    }
                    Some(x) => {
                        entry.0 += 1;
                        check(reg, &f.ty, x, &here, out, seen);
                    }
                }
            }
        }
        Ty::List(t) => {
            for (i, x) in v.as_array().into_iter().flatten().enumerate() {
                check(reg, t, x, &format!("{at}[{i}]"), out, seen);
            }
        }
        Ty::Map(t) => {
            for (k, x) in v.as_object().into_iter().flatten() {
                check(reg, t, x, &format!("{at}.{k}"), out, seen);
            }
        }
        Ty::Optional(t) if !v.is_null() => check(reg, t, v, at, out, seen),
        _ => {}
    }
}

fn fixtures(api: &str) -> Vec<Value> {
    let path = format!("{}/../tests/fixtures/{api}/examples.json", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {path}: {e}"));
    serde_json::from_str::<Value>(&text).unwrap().as_array().unwrap().clone()
}

/// The model of an EQP response example (`None`: not a result model).
fn eqp_type(reg: &mut Registry, endpoint: &str) -> Option<Ty> {
    use sellkit::eqp::model::*;
    Some(match endpoint {
        "PUT /rest/v1/users/:mage_id" | "GET /rest/v1/users/:mage_id" | "GET /rest/v1/users/:mage_id?style=summary" => Profile::describe(reg),
        "GET /rest/v1/files/uploads/:file_upload_id" => FileRecord::describe(reg),
        "POST /rest/v1/files/uploads" => Vec::<FileRecord>::describe(reg),
        "GET /rest/v1/products/packages" => Vec::<Package>::describe(reg),
        "GET /rest/v1/products/packages/:submission_id" => Package::describe(reg),
        "GET /rest/v1/products/packages/:submission_id/status" => Vec::<ToolRun>::describe(reg),
        "GET /rest/v1/products/packages/:submission_id/status/:tool_name/:tool_run_id" => TestDetail::describe(reg),
        "GET /rest/v1/users/:mage_id/keys" | "PUT /rest/v1/users/:mage_id/keys/:url_encoded_label_of_m2_key" | "POST /rest/v1/users/:mage_id/keys" => {
            KeyList::describe(reg)
        }
        // Batch entries: checked as the data of their succeeded entries below.
        _ => return None,
    })
}

/// The model of a Marktplaats ("API A") response example.
fn mp_type(reg: &mut Registry, endpoint: &str) -> Option<Ty> {
    use sellkit::marktplaats::models::*;
    let mut words = endpoint.split_whitespace();
    let (method, path) = (words.next().unwrap_or(""), words.next().unwrap_or(""));
    Some(match (method, path) {
        ("POST", p) if p.ends_with("/renew") || p.ends_with("/buy-feature") => Order::describe(reg),
        ("GET", "/v1/orders/{orderId}") => Order::describe(reg),
        ("GET", "/v1/advertisements/{itemId}/bids/{bidId}") => Bid::describe(reg),
        ("GET", "/v1/users/{userId}/brands") => Brands::describe(reg),
        ("POST", "/v1/users/{userId}/change-email") => ChangeEmailResult::describe(reg),
        ("GET", "/v1/users/{userId}/reviews") => Reviews::describe(reg),
        ("GET", "/v1/images/{mediaId}") => Image::describe(reg),
        ("GET", "/v1/locations?postcode={postcode}") => PostcodeLocation::describe(reg),
        ("GET", p) if p.ends_with("/fees") => CategoryFees::describe(reg),
        ("GET", "/v2/users/{userId}/legal-status") => LegalStatus::describe(reg),
        ("POST", "/v1/users") => User::describe(reg),
        ("GET", "/v1/categories") => Category::describe(reg),
        ("GET", p) if p.ends_with("/attributes") => CategoryAttribute::describe(reg),
        ("GET", "/v1/users/{userId}/profile") => Profile::describe(reg),
        ("GET", "/v1/users/{userId}/userreviews") => ReviewSettings::describe(reg),
        ("GET" | "POST", p) if p.contains("/transactions") => Transaction::describe(reg),
        _ => return None,
    })
}

/// The items of a HAL collection example, by relation, with the model each is read as.
fn mp_embedded(reg: &mut Registry, endpoint: &str, body: &Value) -> Vec<(Ty, Value)> {
    use sellkit::marktplaats::models::*;
    let rels: &[(&str, fn(&mut Registry) -> Ty)] = &[
        ("mp:advertisement-transaction", Transaction::describe),
        ("mp:advertisement-image", Image::describe),
        ("mp:advertisement-feature", Feature::describe),
        ("mp:user-feature", Feature::describe),
        ("mp:category", Category::describe),
    ];
    let mut out = Vec::new();
    for (rel, describe) in rels {
        if let Some(items) = body.get("_embedded").and_then(|e| e.get(*rel)) {
            let ty = describe(reg);
            let items = if items.is_array() { items.as_array().unwrap().clone() } else { vec![items.clone()] };
            out.extend(items.into_iter().map(|i| (ty.clone(), i)));
        }
    }
    let _ = endpoint;
    out
}

#[test]
fn always_keys_are_in_every_documented_response_example() {
    let mut seen = Presence::default();
    let mut problems = Vec::new();
    let mut checked = 0;

    let (_, mut reg) = EQP.describe();
    for e in fixtures("eqp") {
        // A response with a status; `null` marks field fragments and the generic error. Two
        // examples leave fields out on purpose (their notes say so): the profile after a callback
        // registration, and the batch answer whose success entry stands for "all fields".
        let elided = e["note"].as_str().is_some_and(|n| n.contains("other profile fields omitted") || n.contains("// ... etc."));
        if e["kind"] != "response" || e["status"].is_null() || elided {
            continue;
        }
        let endpoint = e["endpoint"].as_str().unwrap();
        if endpoint == "POST /rest/v1/products/packages" {
            let ty = sellkit::eqp::model::Package::describe(&mut reg);
            for (i, entry) in e["body"].as_array().unwrap().iter().enumerate() {
                if entry["code"] == json!(200) {
                    check(&reg, &ty, entry, &format!("{endpoint}[{i}]"), &mut problems, &mut seen);
                    checked += 1;
                }
            }
        } else if let Some(ty) = eqp_type(&mut reg, endpoint) {
            check(&reg, &ty, &e["body"], endpoint, &mut problems, &mut seen);
            checked += 1;
        }
    }

    let (_, mut reg) = MARKTPLAATS.describe();
    for e in fixtures("marktplaats") {
        let source = e["source"].as_str().unwrap();
        let api_a = source.contains("api.marktplaats.nl/docs") || source.contains("ecg-marktplaats.github.io");
        if !api_a || e["kind"] != "response" {
            continue;
        }
        let endpoint = e["endpoint"].as_str().unwrap();
        let body = &e["body"];
        let embedded = mp_embedded(&mut reg, endpoint, body);
        let ty = if embedded.is_empty() || endpoint == "GET /v1/categories" { mp_type(&mut reg, endpoint) } else { None };
        if let Some(ty) = ty {
            check(&reg, &ty, body, endpoint, &mut problems, &mut seen);
            checked += 1;
        }
        for (ty, item) in embedded {
            check(&reg, &ty, &item, &format!("{endpoint} (embedded)"), &mut problems, &mut seen);
            checked += 1;
        }
    }
    report(&seen);
    assert!(checked >= 40, "only {checked} examples were checked");
    assert!(problems.is_empty(), "[always] keys absent from documented examples:\n{}", problems.join("\n"));
}

fn report(seen: &Presence) {
    for ((model, key), (present, total)) in &seen.0 {
        println!("{model}.{key}: {present}/{total}");
    }
}

/// Checks the views of a catalogue's operations against their described result types.
struct Views {
    reg: Registry,
    results: std::collections::HashMap<&'static str, Ty>,
    problems: Vec<String>,
    seen: Presence,
    checked: usize,
}

impl Views {
    fn of<C>(api: &'static sellkit::catalogue::Api<C>) -> Views {
        let (ops, reg) = api.describe();
        let results = ops.into_iter().map(|(op, _, ty)| (op.name, ty)).collect();
        Views { reg, results, problems: Vec::new(), seen: Presence::default(), checked: 0 }
    }

    /// `view`, what operation `op` gave (one item, for a list).
    fn check(&mut self, op: &str, view: &Value) -> Value {
        let ty = self.results.get(op).unwrap_or_else(|| panic!("no operation {op}")).clone();
        check(&self.reg, &ty, view, op, &mut self.problems, &mut self.seen);
        self.checked += 1;
        view.clone()
    }

    /// Every item of the list `pages` gave.
    async fn check_list(&mut self, op: &str, pages: sellkit::Result<sellkit::pagination::Paginator>) -> Vec<Value> {
        let mut pages = pages.unwrap_or_else(|e| panic!("{op}: {e}"));
        let mut items = Vec::new();
        while let Some(item) = pages.next_item().await.unwrap_or_else(|e| panic!("{op}: {e}")) {
            items.push(self.check(op, &item));
        }
        items
    }

    fn finish(self, at_least: usize) {
        report(&self.seen);
        assert!(self.checked >= at_least, "only {} results were checked", self.checked);
        assert!(self.problems.is_empty(), "[always] keys absent from the simulator's results:\n{}", self.problems.join("\n"));
    }
}

#[tokio::test]
async fn always_keys_are_in_every_eqp_result_of_the_simulator() {
    use sellkit::eqp::model::Model;
    use sellkit_simulator::Verdict;

    let sim = common::sim();
    let c = common::client(&sim);
    let mut v = Views::of(&EQP);
    macro_rules! call {
        ($op:literal, $args:expr) => {
            v.check($op, &common::call(&c, $op, $args).await.unwrap_or_else(|e| panic!("{}: {e}", $op)))
        };
    }

    call!("users.get", json!({}));
    call!("users.get", json!({"style": "summary"}));
    call!("users.update", json!({"fields": {"personal_profile": {"bio": "Typed"}, "company_profile": {"name": "Acme"}}, "action": "draft"}));
    call!("callbacks.register", json!({"callbacks": [{"url": "https://example.com/cb", "username": "u", "password": "p"}]}));
    call!("users.keys.create", json!({"keys": [{"label": "ci"}]}));
    call!("users.keys.create", json!({"keys": [{"label": "ci"}, {"label": "release"}]}));
    call!("users.keys.list", json!({}));
    call!("users.keys.disable", json!({"label": "ci"}));

    let records = c.files().upload(vec![sellkit::eqp::UploadSource::bytes("ext.zip", b"PK".to_vec())], None).await.unwrap();
    for r in &records {
        v.check("files.upload", &Value::Array(vec![r.to_view()]));
    }
    let id = records[0].file_upload_id.clone().unwrap();
    call!("files.wait_for_scan", json!({"ids": [id], "timeout": 5, "interval": 0.05}));
    call!("files.get", json!({"file_upload_id": id}));
    v.check_list("files.list", EQP.list_json(&c, "files.list", json!({}))).await;

    let created = call!("packages.create", json!({"items": [common::complete("Typed", "typed-1"), {"name": "Draft"}, {"sku": "not a sku"}]}));
    let submission = created["items"][0]["data"]["submission_id"].as_str().unwrap().to_owned();
    call!("packages.update", json!({"items": [{"submission_id": submission, "release_notes": "More"}, {"submission_id": "nope"}]}));
    call!("packages.update_one", json!({"submission_id": submission, "fields": {"release_notes": "Again"}}));
    call!("packages.get", json!({"submission_id": submission}));
    call!("packages.by_item_id", json!({"item_id": "typed-1"}));
    call!("packages.submit", json!({"submission_id": submission}));
    assert!(sim.complete_eqp_review(&submission, "technical", Verdict::Fail));
    v.check_list("packages.list", EQP.list_json(&c, "packages.list", json!({}))).await;
    v.check_list("packages.items", EQP.list_json(&c, "packages.items", json!({}))).await;
    let runs = call!("test_results.summary", json!({"submission_id": submission}));
    for run in runs.as_array().unwrap() {
        let args = json!({"submission_id": submission, "tool": run["name"], "run_id": run["tool_run_id"]});
        call!("test_results.detail", args);
    }
    v.finish(20);
}

#[tokio::test]
async fn always_keys_are_in_every_marktplaats_result_of_the_simulator() {
    let sim = sellkit_simulator::Simulator::start(Default::default()).unwrap();
    sim.set_mp_image_delay(std::time::Duration::ZERO);
    let c = mp_common::user_client(&sim, "2dehands").await;
    let user = sim.mp_user_id();
    let mut v = Views::of(&MARKTPLAATS);
    macro_rules! call {
        ($op:literal, $args:expr) => {
            v.check($op, &mp_common::call(&c, $op, $args).await.unwrap_or_else(|e| panic!("{}: {e}", $op)))
        };
    }

    let ad = json!({"categoryId": 35, "title": "Lecteur cd", "description": "Un lecteur", "condition": "Nieuw",
                    "priceModel": {"modelType": "bidding", "minimalBid": 1000}, "location": {"postcode": "1097DN"}});
    let created = call!("ads.create", json!({"ad": ad}));
    let item = created["itemId"].as_str().unwrap().to_owned();
    call!("ads.get", json!({"item_id": item}));
    let mut changed = created.clone();
    changed["title"] = json!("Lecteur CD");
    call!("ads.replace", json!({"item_id": item, "ad": changed}));
    call!("ads.patch", json!({"item_id": item, "ops": [{"op": "replace", "path": "/title", "value": "Lecteur"}]}));
    call!("ads.update_from", json!({"item_id": item, "old_ad": changed, "new_ad": created}));
    call!("ads.statistics", json!({"item_id": item}));
    sim.mp_seed_own_ads("2dehands", 3, "Seeded").unwrap();
    v.check_list("users.ads", MARKTPLAATS.list_json(&c, "users.ads", json!({}))).await;
    v.check_list("search", MARKTPLAATS.list_json(&c, "search", json!({"query": "Seeded"}))).await;

    let placeholders = call!("images.add", json!({"item_id": item, "urls": ["https://example.com/1.jpg"]}));
    call!("images.list", json!({"item_id": item}));
    let media = sellkit::marktplaats::models::embedded_items(placeholders["_embedded"].as_object(), None)
        .first()
        .and_then(|i| i["mediaId"].as_str().map(str::to_owned))
        .expect("an image placeholder");
    call!("images.get", json!({"media_id": media}));
    call!("images.wait_until_available", json!({"media_id": media, "timeout": 5}));

    call!("categories.list", json!({}));
    call!("categories.get", json!({"l1_category_id": 31, "l2_category_id": 35}));
    call!("categories.attributes", json!({"l1_category_id": 31, "l2_category_id": 35}));
    call!("categories.fees", json!({"l1_category_id": 31, "l2_category_id": 35}));
    call!("features.list", json!({"item_id": item}));
    call!("features.get", json!({"item_id": item, "name": "dagtopper"}));
    let order = call!("features.buy", json!({"item_id": item, "name": "dagtopper"}));
    call!("features.purchased", json!({"item_id": item}));
    call!("orders.get", json!({"order_id": order["orderId"]}));
    let tx = call!("transactions.create", json!({"item_id": item, "transaction": {"buyerId": 7, "amount": 1000, "shippingCosts": 0}}));
    call!("transactions.get", json!({"item_id": item, "transaction_id": tx["transactionId"]}));
    call!("transactions.list", json!({"item_id": item}));
    let bid = sim.mp_place_bid("2dehands", &item, 1200, "Bidder").unwrap();
    call!("bids.get", json!({"item_id": item, "bid_id": bid}));
    call!("bids.list", json!({"item_id": item}));

    call!("users.me", json!({}));
    call!("users.get", json!({"user_id": user}));
    call!("users.profile", json!({"user_id": user}));
    call!("users.review_settings", json!({"user_id": user}));
    call!("users.reviews", json!({"user_id": user}));
    call!("users.brands", json!({"user_id": user}));
    call!("users.legal_status", json!({"user_id": user}));
    call!("users.features", json!({"user_id": user}));
    call!("locations.by_postcode", json!({"postcode": "1097DN"}));
    v.finish(30);
}

/// `[always]` is a typing promise, not a decode rule: a response without those keys still
/// decodes, in Rust and in the view the bindings receive.
#[test]
fn a_response_without_always_keys_still_decodes() {
    use sellkit::eqp::model::{Model, Package, Profile};
    use sellkit::marktplaats::models::{decode, Advertisement};

    let package = Package::from_json(&json!({"name": "Only a name"})).unwrap();
    assert_eq!((package.submission_id, package.name.as_deref()), (None, Some("Only a name")));
    let profile = Profile::from_json(&json!({})).unwrap();
    assert_eq!(profile.mage_id, None);
    let ad: Advertisement = decode(json!({"description": "no title"})).unwrap();
    assert_eq!((ad.title, ad.description.as_deref()), (None, Some("no title")));
}
