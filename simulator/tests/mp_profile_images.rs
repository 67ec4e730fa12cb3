//! Profile, backdrop and logo images: set by URL (JSON) or uploaded as a file
//! (`multipart/form-data`, part `file`): JPG, PNG or BMP under 8 MB, stored and served back.

mod common;

use common::*;
use sellkit_simulator::{Simulator, MP_USER_ID};
use serde_json::{json, Value};

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";
const JPEG: &[u8] = b"\xff\xd8\xff\xe0\0\x10JFIF\0\x01\x01\0\0\x01\0\x01\0\0\xff\xd9";
const BMP: &[u8] = b"BM\x3a\0\0\0\0\0\0\0\x36\0\0\0\x28\0\0\0\x01\0\0\0\x01\0\0\0\x01\0\x18\0";
const GIF: &[u8] = b"GIF89a\x01\0\x01\0\x80\0\0\0\0\0\xff\xff\xff!\xf9\x04\x01\0\0\0\0,\0\0\0\0\x01\0\x01\0\0\x02\x02D\x01\0;";

struct Profile {
    sim: Simulator,
    token: String,
    http: reqwest::Client,
}

impl Profile {
    async fn start() -> Profile {
        let sim = Simulator::start(Default::default()).unwrap();
        let token = mp_user_token(&sim, "marktplaats").await;
        Profile { sim, token, http: reqwest::Client::new() }
    }
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.sim.marktplaats_url("marktplaats"))
    }
    async fn upload(&self, kind: &str, part_name: &str, bytes: &[u8], declared: &str) -> (u16, Value) {
        let part = reqwest::multipart::Part::bytes(bytes.to_vec()).file_name("picture").mime_str(declared).unwrap();
        let form = reqwest::multipart::Form::new().text("note", "ignored").part(part_name.to_owned(), part);
        let resp = self.http.post(self.url(&format!("/v1/users/{MP_USER_ID}/profile/{kind}"))).bearer_auth(&self.token).multipart(form).send().await.unwrap();
        status_json(resp).await
    }
    async fn get(&self, path: &str) -> reqwest::Response {
        self.http.get(self.url(path)).bearer_auth(&self.token).send().await.unwrap()
    }
}

fn field_error(body: &Value) -> (String, String) {
    assert_eq!(body["code"], "validation-failure", "{body}");
    let d = &body["details"][0];
    (d["field"].as_str().unwrap().to_owned(), d["code"].as_str().unwrap().to_owned())
}

#[tokio::test]
async fn an_uploaded_image_is_stored_shown_and_served_back() {
    let p = Profile::start().await;
    // The part's declared type does not matter: the bytes are sniffed.
    let (status, body) = p.upload("profile-image", "file", PNG, "application/octet-stream").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["status"], "available");
    let media = body["mediaId"].as_str().unwrap().to_owned();

    let shown: Value = p.get(&format!("/v1/users/{MP_USER_ID}/profile/profile-image")).await.json().await.unwrap();
    assert_eq!(shown["mediaId"], media.as_str());
    let url = shown["url"].as_str().unwrap();
    assert!(url.starts_with(&p.sim.marktplaats_url("marktplaats")) && url.ends_with("/blob"), "{url}");
    assert_eq!(shown["_links"]["mp:image-blob"]["href"], format!("/v1/images/{media}/{{size}}/blob"));

    let blob = p.http.get(url).bearer_auth(&p.token).send().await.unwrap();
    assert_eq!(blob.headers()["content-type"], "image/png");
    assert_eq!(&blob.bytes().await.unwrap()[..], PNG);
    let meta: Value = p.get(&format!("/v1/images/{media}/small/meta")).await.json().await.unwrap();
    assert_eq!(meta["contentType"], "image/png");

    // The profile embeds it; JPEG and BMP are accepted on the other kinds.
    let (status, body) = p.upload("logo-image", "file", JPEG, "image/jpeg").await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = p.upload("backdrop-image", "file", BMP, "image/bmp").await;
    assert_eq!(status, 200, "{body}");
    let backdrop = body["mediaId"].as_str().unwrap().to_owned();
    let profile: Value = p.get(&format!("/v1/users/{MP_USER_ID}/profile")).await.json().await.unwrap();
    assert_eq!(profile["_embedded"]["mp:profile-image"]["mediaId"], media.as_str());
    assert_eq!(profile["_embedded"]["mp:logo-image"]["status"], "available");
    let blob = p.get(&format!("/v1/images/{backdrop}/large/blob")).await;
    assert_eq!(blob.headers()["content-type"], "image/bmp");
    assert_eq!(&blob.bytes().await.unwrap()[..], BMP);

    // Replaced by URL: the upload is gone. Deleted: the image is gone.
    let resp = p
        .http
        .post(p.url(&format!("/v1/users/{MP_USER_ID}/profile/profile-image")))
        .bearer_auth(&p.token)
        .json(&json!({"url": "https://example.com/me.jpg"}))
        .send()
        .await
        .unwrap();
    let (status, body) = status_json(resp).await;
    assert_eq!((status, body["url"].as_str()), (200, Some("https://example.com/me.jpg")));
    assert_eq!(p.get(&format!("/v1/images/{media}/large/blob")).await.status(), 404);
    let resp = p.http.delete(p.url(&format!("/v1/users/{MP_USER_ID}/profile/backdrop-image"))).bearer_auth(&p.token).send().await.unwrap();
    assert_eq!(resp.status(), 204);
    assert_eq!(p.get(&format!("/v1/users/{MP_USER_ID}/profile/backdrop-image")).await.status(), 404);
    assert_eq!(p.get(&format!("/v1/images/{backdrop}/large/blob")).await.status(), 404);
}

#[tokio::test]
async fn files_that_are_too_large_not_images_or_missing_are_refused() {
    let p = Profile::start().await;
    let (status, body) = p.upload("profile-image", "file", GIF, "image/gif").await;
    assert_eq!((status, field_error(&body)), (400, ("file".into(), "invalid-file-format".into())));
    let (status, body) = p.upload("logo-image", "file", b"not an image at all", "image/png").await;
    assert_eq!((status, field_error(&body)), (400, ("file".into(), "invalid-file-format".into())));

    // One byte over 8 MB, and a valid PNG header: refused for its size, the whole body read.
    let mut big = PNG.to_vec();
    big.resize(8 * 1024 * 1024 + 1, 0);
    let (status, body) = p.upload("profile-image", "file", &big, "image/png").await;
    assert_eq!((status, field_error(&body)), (400, ("file".into(), "file-too-large".into())));
    // Exactly 8 MB is accepted.
    big.truncate(8 * 1024 * 1024);
    let (status, body) = p.upload("profile-image", "file", &big, "image/png").await;
    assert_eq!(status, 200, "{body}");

    let (status, body) = p.upload("profile-image", "picture", PNG, "image/png").await;
    assert_eq!((status, field_error(&body)), (400, ("file".into(), "field-missing".into())));

    // A token is still needed, and a user can only set their own images.
    let form = reqwest::multipart::Form::new().part("file", reqwest::multipart::Part::bytes(PNG.to_vec()));
    let resp = p.http.post(p.url("/v1/users/2/profile/profile-image")).bearer_auth(&p.token).multipart(form).send().await.unwrap();
    assert_eq!(resp.status(), 403);
    let form = reqwest::multipart::Form::new().part("file", reqwest::multipart::Part::bytes(PNG.to_vec()));
    let resp = p.http.post(p.url(&format!("/v1/users/{MP_USER_ID}/profile/profile-image"))).multipart(form).send().await.unwrap();
    assert_eq!(resp.status(), 401);
}
