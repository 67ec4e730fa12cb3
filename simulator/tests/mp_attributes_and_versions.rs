//! The server's category attributes: definitions per leaf (mandatory, enumerations, numbers,
//! free text, `writable`/`updateable`), enforced on create, PUT and PATCH; an ad keeps its
//! category. And `/v2`: the endpoints the v2 docs list are served there with `/v2` links, the
//! others only under `/v1`.

mod common;

use common::*;
use sellkit_simulator::Simulator;
use serde_json::{json, Value};

struct Mp {
    http: reqwest::Client,
    base: String,
    token: String,
}

impl Mp {
    async fn new(sim: &Simulator) -> Mp {
        let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        Mp { http, base: sim.marktplaats_url("marktplaats"), token: mp_user_token(sim, "marktplaats").await }
    }
    async fn send(&self, method: &str, path: &str, body: Option<Value>) -> (u16, Value, Option<String>) {
        let mut req = self.http.request(method.parse().unwrap(), format!("{}{path}", self.base)).bearer_auth(&self.token);
        if let Some(b) = body {
            let ct = if method == "PATCH" { "application/json-patch+json" } else { "application/json" };
            req = req.header("content-type", ct).body(b.to_string());
        }
        let resp = req.send().await.unwrap();
        let location = resp.headers().get("location").map(|l| l.to_str().unwrap().to_owned());
        let (status, body) = status_json(resp).await;
        (status, body, location)
    }
}

fn car() -> Value {
    json!({"categoryId": 92, "title": "Alfa Romeo Giulia", "description": "Netjes onderhouden",
           "priceModel": {"modelType": "fixed", "askingPrice": 1_450_000}, "location": {"postcode": "1097DN"},
           "constructionYear": 2019, "mileage": "64000", "fuel": "Benzine", "model": "Giulia"})
}

/// `(field, code)` of each detail of a 400 `validation-failure`, sorted.
fn details(status: u16, body: &Value) -> Vec<(String, String)> {
    assert_eq!((status, body["code"].as_str()), (400, Some("validation-failure")), "{body}");
    let mut d: Vec<_> =
        body["details"].as_array().unwrap().iter().map(|d| (d["field"].as_str().unwrap().to_owned(), d["code"].as_str().unwrap().to_owned())).collect();
    d.sort();
    d
}

fn pair(f: &str, c: &str) -> (String, String) {
    (f.to_owned(), c.to_owned())
}

#[tokio::test]
async fn attribute_definitions_per_leaf() {
    let sim = Simulator::start(Default::default()).unwrap();
    let mp = Mp::new(&sim).await;
    let (status, body, _) = mp.send("GET", "/v1/categories/91/92/attributes", None).await;
    assert_eq!(status, 200);
    let defs = body["_embedded"]["mp:category-attribute"].as_array().unwrap();
    let def = |k: &str| defs.iter().find(|d| d["key"] == k).unwrap().clone();
    assert_eq!((def("constructionYear")["type"].as_str(), def("constructionYear")["mandatory"].as_bool()), (Some("NUMBER"), Some(true)));
    assert_eq!(def("constructionYear")["updateable"], false);
    assert_eq!((def("priceIndicator")["writable"].as_bool(), def("priceIndicator")["updateable"].as_bool()), (Some(false), Some(false)));
    assert_eq!(def("fuel")["options"][0]["value"], def("fuel")["values"][0], "values and options alike");
    assert_eq!(def("model")["maxAllowedLength"], 40);
    let (_, antiques, _) = mp.send("GET", "/v1/categories/1/4/attributes", None).await;
    let weight = antiques["_embedded"]["mp:category-attribute"].as_array().unwrap().iter().find(|d| d["key"] == "weight").unwrap().clone();
    assert_eq!((weight["type"].as_str(), weight["unit"].as_str()), (Some("DOUBLE"), Some("kg")));
}

#[tokio::test]
async fn attributes_are_enforced_on_create_put_and_patch() {
    let sim = Simulator::start(Default::default()).unwrap();
    let mp = Mp::new(&sim).await;

    let mut bad = car();
    let m = bad.as_object_mut().unwrap();
    m.remove("fuel");
    m.insert("constructionYear".into(), json!(1850));
    m.insert("transmission".into(), json!("automaat"));
    m.insert("model".into(), json!("x".repeat(41)));
    m.insert("priceIndicator".into(), json!("Lage prijs"));
    let (status, body, _) = mp.send("POST", "/v1/advertisements", Some(bad)).await;
    assert_eq!(
        details(status, &body),
        [
            pair("constructionYear", "input-invalid"),
            pair("fuel", "missing-required-field"),
            pair("model", "input-too-long"),
            pair("priceIndicator", "input-invalid"),
            pair("transmission", "input-invalid"),
        ]
    );
    let model = body["details"].as_array().unwrap().iter().find(|d| d["field"] == "model").unwrap();
    assert_eq!(model["value"], "40", "the limit, as the docs show it");

    // The array form names the entry.
    let mut array = car();
    let m = array.as_object_mut().unwrap();
    m.remove("fuel");
    m.insert("attributes".into(), json!([{"key": "fuel", "value": "Stoom"}, {"key": "wings", "value": 2}]));
    let (status, body, _) = mp.send("POST", "/v1/advertisements", Some(array)).await;
    assert_eq!(details(status, &body), [pair("attributes[0].value", "input-invalid"), pair("attributes[1].key", "input-invalid")]);

    let (status, _, location) = mp.send("POST", "/v1/advertisements", Some(car())).await;
    assert_eq!(status, 201);
    let path = location.unwrap();

    // PATCH: a value out of range, a change of what is not updateable, another category.
    let (status, body, _) = mp.send("PATCH", &path, Some(json!([{"op": "replace", "path": "/mileage", "value": -1}]))).await;
    assert_eq!(details(status, &body), [pair("mileage", "input-invalid")]);
    let (status, body, _) = mp.send("PATCH", &path, Some(json!([{"op": "replace", "path": "/constructionYear", "value": 2020}]))).await;
    assert_eq!(details(status, &body), [pair("constructionYear", "input-invalid")]);
    assert!(body["details"][0]["message"].as_str().unwrap().contains("cannot be updated"));
    let (status, body, _) = mp.send("PATCH", &path, Some(json!([{"op": "replace", "path": "/categoryId", "value": 93}]))).await;
    assert_eq!(details(status, &body), [pair("categoryId", "input-invalid")]);
    // The same year as text is no change; the mileage may change.
    let ops = json!([{"op": "replace", "path": "/constructionYear", "value": "2019"}, {"op": "replace", "path": "/mileage", "value": 65000}]);
    let (status, body, _) = mp.send("PATCH", &path, Some(ops)).await;
    assert_eq!((status, &body["mileage"]), (200, &json!(65000)));

    // PUT: the whole ad again, with a changed construction year.
    let (_, mut current, _) = mp.send("GET", &path, None).await;
    current["constructionYear"] = json!(2018);
    let (status, body, _) = mp.send("PUT", &path, Some(current.clone())).await;
    assert_eq!(details(status, &body), [pair("constructionYear", "input-invalid")]);
    current["constructionYear"] = json!(2019);
    current["fuel"] = json!("Hybride");
    let (status, body, _) = mp.send("PUT", &path, Some(current)).await;
    assert_eq!((status, &body["fuel"]), (200, &json!("Hybride")));

    // A cd player: nothing is mandatory, but values are from the lists.
    let cd = json!({"categoryId": 35, "title": "Cd-speler", "description": "Werkt", "priceModel": {"modelType": "see description"},
                    "location": {"postcode": "1097DN"}, "properties": ["Draagbaar", "Waterdicht"]});
    let (status, body, _) = mp.send("POST", "/v1/advertisements", Some(cd)).await;
    assert_eq!(details(status, &body), [pair("properties", "input-invalid")]);
}

#[tokio::test]
async fn v2_serves_the_listed_endpoints_with_v2_links() {
    let sim = Simulator::start(Default::default()).unwrap();
    let mp = Mp::new(&sim).await;
    let mut cd = car();
    cd["categoryId"] = json!(93);
    let (status, _, location) = mp.send("POST", "/v2/advertisements", Some(cd)).await;
    assert_eq!((status, location.as_deref().map(|l| l.starts_with("/v2/advertisements/m"))), (201, Some(true)));
    let path = location.unwrap();
    let (status, ad, _) = mp.send("GET", &path, None).await;
    assert_eq!(status, 200);
    assert_eq!(ad["_links"]["self"]["href"], path.as_str());
    assert!(ad["_links"]["mp:advertisement-images"]["href"].as_str().unwrap().starts_with("/v2/"));
    assert!(ad["_links"]["mp:category"]["href"].as_str().unwrap().starts_with("/v2/categories/91/93"));
    assert!(ad["_links"]["describedby"]["href"].as_str().unwrap().starts_with("https://"), "absolute links are kept");
    // The same ad under /v1 speaks v1.
    let v1 = path.replacen("/v2/", "/v1/", 1);
    let (_, same, _) = mp.send("GET", &v1, None).await;
    assert_eq!((same["itemId"].as_str(), same["_links"]["self"]["href"].as_str()), (ad["itemId"].as_str(), Some(v1.as_str())));

    let (_, tree, _) = mp.send("GET", "/v2/categories", None).await;
    assert_eq!(tree["_links"]["find"]["href"], "/v2/categories{?categoryId}");
    let leaf = &tree["_embedded"]["mp:category"][2]["_embedded"]["mp:category"][0]["_links"];
    assert!(leaf["mp:category-attributes"]["href"].as_str().unwrap().starts_with("/v2/"));
    assert!(leaf["mp:category-fees"]["href"].as_str().unwrap().starts_with("/v1/"), "fees are a v1 page: the link stays");

    let (status, _, location) = mp.send("GET", "/v2/me", None).await;
    assert_eq!((status, location.as_deref()), (302, Some("/v2/users/1")));
    assert_eq!(mp.send("GET", "/v2/categories/91/92/fees", None).await.0, 404, "not a v2 endpoint");
    assert_eq!(mp.send("GET", "/v1/categories/91/92/fees", None).await.0, 200);
    assert_eq!(sim.request_count("POST /v2/advertisements"), 1);
    assert_eq!(sim.request_count("POST /v1/advertisements"), 0);
}
