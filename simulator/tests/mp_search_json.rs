//! `POST /v1/search` with a JSON body: the GET parameters plus a price range and attribute
//! filters, paged by offset/limit, answered in the GET form's shape.

mod common;

use common::*;
use sellkit_simulator::Simulator;
use serde_json::{json, Value};

struct Search {
    sim: Simulator,
    token: String,
    http: reqwest::Client,
}

impl Search {
    async fn start() -> Search {
        let sim = Simulator::start(Default::default()).unwrap();
        let token = mp_user_token(&sim, "marktplaats").await;
        let ad = |title: &str, price: Option<i64>, attrs: Value| {
            let price_model = match price {
                Some(p) => json!({"modelType": "fixed", "askingPrice": p}),
                None => json!({"modelType": "to be discussed"}),
            };
            let mut ad = json!({"categoryId": 35, "title": title, "description": "A lamp for the desk",
                                "priceModel": price_model, "location": {"postcode": "1097DN"}});
            ad.as_object_mut().unwrap().extend(attrs.as_object().unwrap().clone());
            ad
        };
        for (title, price, attrs) in [
            ("Red lamp cheap", Some(500), json!({"condition": "Nieuw", "color": ["red", "white"]})),
            ("Red lamp mid", Some(2500), json!({"condition": "Gebruikt", "color": "red"})),
            ("Blue lamp mid", Some(3000), json!({"condition": "Nieuw", "color": "blue", "wattage": 40})),
            ("Blue lamp dear", Some(9000), json!({"condition": "Zo goed als nieuw", "color": "blue"})),
            ("Lamp on request", None, json!({"condition": "Nieuw"})),
        ] {
            sim.mp_seed_own_ad("marktplaats", ad(title, price, attrs)).unwrap();
        }
        sim.mp_seed_ads("marktplaats", 40, "Desk lamp").unwrap();
        Search { sim, token, http: reqwest::Client::new() }
    }
    async fn post(&self, body: Value) -> (u16, Value) {
        let resp = self.http.post(format!("{}/v1/search", self.sim.marktplaats_url("marktplaats"))).bearer_auth(&self.token).json(&body).send().await.unwrap();
        status_json(resp).await
    }
    async fn get(&self, query: &str) -> (u16, Value) {
        let resp = self.http.get(format!("{}/v1/search?{query}", self.sim.marktplaats_url("marktplaats"))).bearer_auth(&self.token).send().await.unwrap();
        status_json(resp).await
    }
}

fn titles(body: &Value) -> Vec<String> {
    body["_embedded"]["mp:search-result"].as_array().unwrap().iter().map(|a| a["title"].as_str().unwrap().to_owned()).collect()
}

#[tokio::test]
async fn price_range_and_attributes_filter_the_results() {
    let s = Search::start().await;
    let (status, body) = s.post(json!({"query": "lamp", "priceFrom": 1000, "priceTo": 3000, "limit": 50})).await;
    assert_eq!(status, 200, "{body}");
    // Bounds included; the seeded desk lamps cost 10.01 to 10.40 euro.
    assert_eq!(body["totalCount"], 42);
    assert!(titles(&body).iter().all(|t| t != "Red lamp cheap" && t != "Blue lamp dear" && t != "Lamp on request"));
    let (_, body) = s.post(json!({"query": "lamp", "priceFrom": 3000})).await;
    assert_eq!(titles(&body), ["Blue lamp mid", "Blue lamp dear"], "an ad without an asking price is left out");

    // One value, a list of values (any), an ad holding a list, a number, and all filters together.
    let (_, body) = s.post(json!({"query": "lamp", "attributes": {"condition": "Nieuw"}})).await;
    assert_eq!(titles(&body), ["Red lamp cheap", "Blue lamp mid", "Lamp on request"]);
    let (_, body) = s.post(json!({"query": "lamp", "attributes": {"condition": ["Gebruikt", "Zo goed als nieuw"]}})).await;
    assert_eq!(titles(&body), ["Red lamp mid", "Blue lamp dear"]);
    let (_, body) = s.post(json!({"query": "lamp", "attributes": {"color": "white"}})).await;
    assert_eq!(titles(&body), ["Red lamp cheap"]);
    let (_, body) = s.post(json!({"categoryId": 35, "attributes": {"wattage": "40"}})).await;
    assert_eq!(titles(&body), ["Blue lamp mid"]);
    let (_, body) = s.post(json!({"query": "red", "priceTo": 1000, "attributes": {"condition": "Nieuw", "color": ["red"]}})).await;
    assert_eq!(titles(&body), ["Red lamp cheap"]);

    // Sorted by price, highest first; the description searched when asked.
    let (_, body) = s.post(json!({"query": "lamp", "priceFrom": 2500, "sortBy": "price", "sortOrder": "descending"})).await;
    assert_eq!(titles(&body), ["Blue lamp dear", "Blue lamp mid", "Red lamp mid"]);
    let (_, body) = s.post(json!({"query": "desk", "searchDescription": false, "priceFrom": 2000})).await;
    assert_eq!(body["totalCount"], 0);
    let (_, body) = s.post(json!({"query": "desk", "searchDescription": true, "priceFrom": 2000})).await;
    assert_eq!(titles(&body), ["Red lamp mid", "Blue lamp mid", "Blue lamp dear"]);

    // The query string takes the price range too.
    let (_, body) = s.get("query=lamp&priceFrom=2500&priceTo=3000").await;
    assert_eq!(titles(&body), ["Red lamp mid", "Blue lamp mid"]);
}

#[tokio::test]
async fn pages_by_offset_and_limit_in_the_get_forms_shape() {
    let s = Search::start().await;
    let (_, get) = s.get("query=desk&offset=10&limit=20").await;
    let (status, post) = s.post(json!({"query": "desk", "offset": 10, "limit": 20})).await;
    assert_eq!(status, 200);
    assert_eq!(post["_embedded"], get["_embedded"], "the same results");
    assert_eq!(post["totalCount"], 40);
    let mut keys: Vec<&String> = post.as_object().unwrap().keys().collect();
    keys.sort();
    assert_eq!(keys, ["_embedded", "_links", "totalCount"]);
    assert_eq!(titles(&post)[0], "Desk lamp 11");
    assert_eq!(post["_links"]["next"]["href"], "/v1/search", "a next page exists");
    assert!(get["_links"]["next"]["href"].as_str().unwrap().contains("offset=30"));

    let (_, last) = s.post(json!({"query": "desk", "offset": 30, "limit": 20})).await;
    assert_eq!(titles(&last).len(), 10);
    assert!(last["_links"].get("next").is_none(), "no next page");
    let (_, first) = s.post(json!({"query": "desk"})).await;
    assert_eq!(titles(&first).len(), 30, "30 by default");

    let (status, body) = s.post(json!({"query": "desk", "offset": 4900, "limit": 200})).await;
    assert_eq!((status, body["code"].as_str()), (400, Some("pagination-invalid")));
}

#[tokio::test]
async fn a_malformed_search_body_is_refused_naming_the_field() {
    let s = Search::start().await;
    for (body, field) in [
        (json!({"query": "lamp", "pricefrom": 100}), "pricefrom"),
        (json!({"query": "lamp", "priceFrom": "100"}), "priceFrom"),
        (json!({"query": "lamp", "priceFrom": -1}), "priceFrom"),
        (json!({"query": "lamp", "priceFrom": 500, "priceTo": 100}), "priceTo"),
        (json!({"query": "lamp", "attributes": {"color": []}}), "attributes.color"),
        (json!({"query": "lamp", "attributes": ["color"]}), "attributes"),
        (json!({"query": "lamp", "sortBy": "date"}), "sortBy"),
        (json!({"query": "lamp", "limit": "20"}), "limit"),
    ] {
        let (status, answer) = s.post(body.clone()).await;
        assert_eq!(status, 400, "{body}");
        assert_eq!(answer["code"], "validation-failure", "{body}");
        assert_eq!(answer["details"][0]["field"], field, "{body}");
    }
    let (status, answer) = s.post(json!({"priceFrom": 100})).await;
    assert_eq!((status, answer["code"].as_str()), (400, Some("validation-failure")), "query or categoryId or sellerId needed");
    let resp = s.http.post(format!("{}/v1/search", s.sim.marktplaats_url("marktplaats"))).bearer_auth(&s.token).body("query=lamp").send().await.unwrap();
    assert_eq!(status_json(resp).await.1["code"], "incorrect-content-type");
    let resp = s.http.post(format!("{}/v1/search", s.sim.marktplaats_url("marktplaats"))).json(&json!({"query": "lamp"})).send().await.unwrap();
    assert_eq!(resp.status(), 401);
    assert_eq!(s.sim.request_count("POST /v1/search"), 11);
}
