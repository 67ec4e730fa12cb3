//! [`Model::view_of`] must give exactly what decoding and writing the view gives
//! (`Model::from_json(v)?.to_view()`), for every shape a server may send: prices as
//! numbers, strings, misfits and nulls, `[]` for objects, aliases, unknown fields.

#![cfg(test)]

use serde_json::{json, Value};

use super::{FileRecord, Model, Package, Profile, TestDetail, ToolRun};

fn same<M: Model>(v: Value) {
    let fast = M::view_of(v.clone()).map_err(|e| e.to_string());
    let full = M::from_json(&v).map(|m| m.to_view()).map_err(|e| e.to_string());
    assert_eq!(fast, full, "for {v}");
}

fn package(prices: Value) -> Value {
    json!({
        "submission_id": "s1", "item_id": "i1", "type": "extension", "platform": "M2", "name": "A",
        "version": "1.0.0", "sku": "v/a", "zzz_unknown": {"nested": [1, null, "x"]},
        "prices": prices,
        "support_tiers": [{"tier": 1, "prices": [{"currency_code": "USD", "price": 9.5}, {"price": "7"}]}],
        "browser_os_compatibility": {"windows": {"chrome": ["80"]}},
        "actions_now_available": "technical:recall, marketing:submit",
        "artifact": {"file_upload_id": "f", "content-type": "application/zip"},
        "created_at": "2020-07-21 8:09:10", "modified_at": "not a time",
        "pricing_model": [], "launch_on_approval": null,
    })
}

#[test]
fn packages() {
    for prices in [
        json!([{"edition": "CE", "currency_code": "USD", "price": 15.5, "installation_price": "10", "initial_price": null}]),
        json!([{"price": 15}, {"price": "15.50"}, {"price": 1e2}, {"price": "1.234"}, {"price": -1}, {"price": "abc"}]),
        json!([{"price": 15}, "not an object"]),
        json!([{"price": 15}, []]),
        json!([]),
        json!({"price": 15}),
        json!("15.00"),
        Value::Null,
    ] {
        same::<Package>(package(prices));
    }
    let mut p = package(json!([{"price": 3}]));
    p["browser_os_compatibility"] = json!([]);
    same::<Package>(p.clone());
    p["browser_os_compatibility"] = json!({"windows": ["not", "an", "object"]});
    same::<Package>(p.clone());
    p["support_tiers"] = json!([{"prices": {"price": 1}}, {"prices": [{"price": 2.25}]}]);
    same::<Package>(p.clone());
    p["artifact"] = json!({"content_type": "a", "content-type": "b"});
    same::<Package>(p);
    same::<Package>(json!([]));
    same::<Package>(json!({}));
    same::<Package>(json!([1]));
    same::<Package>(json!("x"));
    same::<Package>(Value::Null);
}

#[test]
fn profiles_files_and_test_results() {
    same::<Profile>(json!({
        "mage_id": "MAG1", "first_name": "Agent", "partner_level": 2, "payment_type": "x",
        "personal_profile": {"addresses": [{"address_key": 1, "city": "Utrecht"}], "created_at": "2020-01-01"},
        "company_profile": [], "api_callbacks": [{"url": "https://x", "password": "p"}], "extra": [1, 2],
        "created_at": "2020-07-21T08:09:10Z", "last_logged_in": 5, "tos_accepted_date": null,
    }));
    same::<Profile>(json!([]));
    same::<Profile>(json!(17));
    same::<FileRecord>(json!({"file_upload_id": "f", "content-type": "image/png", "malware_status": "pass", "size": "big"}));
    same::<ToolRun>(json!({"tool_run_id": "5", "name": "phpcs", "status": "PASS"}));
    same::<TestDetail>(json!({"tool": "phpcs", "status": "FAIL", "reports": {"status": "FAIL", "x": 1}}));
    same::<TestDetail>(json!({"tool": "phpcs", "reports": [{"status": "PASS"}, 3]}));
}
