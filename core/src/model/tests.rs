use serde_json::json;

use super::*;

model! {
    /// A test model.
    pub struct Inner {
        a: String = "a",
    }
}
model! {
    /// Another.
    pub struct Outer {
        /// Its name.
        name: String = "name" [always],
        count: i64 = "count",
        status: String = "current_status" | "eqp_state",
        inner: Inner = "inner",
        list: Vec<Inner> = "list",
    }
}

#[test]
fn round_trips_unknown_fields_nulls_and_empty_arrays() {
    let v = json!({"name": "x", "count": null, "inner": [], "zzz": {"q": [1, null]}, "list": [{"a": "1", "b": 2}]});
    let o = Outer::from_json(&v).unwrap();
    assert_eq!(o.name.as_deref(), Some("x"));
    assert_eq!(o.count, None);
    assert!(o.inner.as_ref().unwrap().is_empty());
    assert_eq!(o.list.as_ref().unwrap()[0].extra["b"], json!(2));
    assert_eq!(o.to_json(), v);
}

#[test]
fn misfits_are_kept_raw_in_responses_and_refused_in_input() {
    let v = json!({"count": "many", "inner": {"a": 5}});
    let o = Outer::from_json(&v).unwrap();
    assert_eq!(o.count, None);
    assert_eq!(o.extra["count"], json!("many"));
    assert_eq!(o.inner.as_ref().unwrap().a, None);
    assert_eq!(o.to_json(), v);
    let e = Outer::from_input(&v, "items[3]").unwrap_err();
    assert_eq!(e.field(), Some("items[3].count"));
    let e = Outer::from_input(&json!({"list": [{}, {"a": 1}]}), "").unwrap_err();
    assert_eq!(e.field(), Some("list[1].a"));
}

#[test]
fn aliases_are_read_kept_on_the_wire_and_normalised_in_the_view() {
    let o = Outer::from_json(&json!({"eqp_state": "approved"})).unwrap();
    assert_eq!(o.status.as_deref(), Some("approved"));
    assert_eq!(o.to_json(), json!({"eqp_state": "approved"}));
    assert_eq!(o.to_view(), json!({"current_status": "approved"}));
    let o = Outer::from_json(&json!({"current_status": "a", "eqp_state": "b"})).unwrap();
    assert_eq!(o.status.as_deref(), Some("a"));
    assert_eq!(o.extra["eqp_state"], json!("b"));
    assert_eq!(o.to_json(), json!({"current_status": "a", "eqp_state": "b"}), "both spellings are written back");
    let built = Outer { status: Some("draft".into()), ..Default::default() };
    assert_eq!(built.to_json(), json!({"current_status": "draft"}));
}

#[test]
fn the_view_writes_empty_objects_as_objects() {
    let o = Outer::from_json(&json!({"inner": [], "name": "n"})).unwrap();
    assert_eq!(o.to_json(), json!({"inner": [], "name": "n"}));
    assert_eq!(o.to_view(), json!({"inner": {}, "name": "n"}));
    assert_eq!(Outer::from_json(&json!([])).unwrap().to_view(), json!({}));
}

#[test]
fn view_of_equals_decoding_then_viewing() {
    for v in [
        json!({"eqp_state": "x", "inner": [], "list": [[], {"a": "1"}], "zzz": [1]}),
        json!({"eqp_state": 5, "current_status": null}),
        json!({"eqp_state": null}),
        json!({"current_status": "a", "eqp_state": "b"}),
        json!([]),
        json!({}),
    ] {
        let fast = Outer::view_of(v.clone()).unwrap();
        let full = Outer::from_json(&v).unwrap().to_view();
        assert_eq!(fast, full, "{v}");
    }
    assert!(Outer::view_of(json!("x")).is_err());
}

#[test]
fn not_an_object_is_an_error() {
    assert!(Outer::from_json(&json!("x")).is_err());
    assert!(Outer::from_json(&json!([1])).is_err());
}

#[test]
fn models_describe_their_fields() {
    let mut reg = Registry::new();
    assert_eq!(Outer::describe(&mut reg), Ty::Named("Outer".into()));
    let TypeDef::Model { doc, fields, .. } = &reg.types()["Outer"] else { panic!("not a model") };
    assert_eq!(doc, "Another.");
    assert_eq!(fields[0].key, "name");
    assert!(fields[0].always);
    assert_eq!(fields[0].doc, "Its name.");
    assert_eq!(fields[2].alias, Some("eqp_state"));
    assert!(!fields[2].always);
    assert_eq!(fields[4].ty, Ty::list(Ty::Named("Inner".into())));
    assert!(reg.contains("Inner"));
}
