//! `/v1/users`: the current user, users, account creation, e-mail change, own advertisements
//! (paged), brands, the seller profile and its images, reviews and their settings, user
//! features, statistics and legal status.

use std::future::Future;
use std::pin::Pin;

use reqwest::Method;
use serde_json::{json, Value};

use super::models::{decode, embedded_items, Brands, ChangeEmailResult, Collection, LegalStatus, Order, Profile, ReviewSettings, Reviews, User};
use super::validate::{check_new_user, max_len};
use super::{id, location_path, pay_body, patching, seg, Client};
use crate::error::{Error, ErrorKind, Result};
use crate::pagination::{PageSource, Paginator};
use crate::transport::Request;
use crate::upload::UploadSource;

/// Largest page of `GET /v1/users/{userId}/advertisements` (also the default).
pub const MAX_ADS_PAGE: u64 = 100;

/// The three images of a seller profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProfileImageKind {
    /// The profile picture (`profile-image`).
    Profile,
    /// The backdrop (`backdrop-image`).
    Backdrop,
    /// The logo (`logo-image`).
    Logo,
}

impl ProfileImageKind {
    /// `profile`, `backdrop` or `logo` (a trailing `-image` is allowed; case is ignored).
    /// Invalid input for `kind` otherwise.
    pub fn parse(s: &str) -> Result<Self> {
        ProfileImageKind::parse_text(s)
            .ok_or_else(|| Error::invalid_input("kind", format!("expected \"profile\", \"backdrop\" or \"logo\", got {s:?}")))
    }
    fn parse_text(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().trim_end_matches("-image") {
            "profile" => Some(ProfileImageKind::Profile),
            "backdrop" => Some(ProfileImageKind::Backdrop),
            "logo" => Some(ProfileImageKind::Logo),
            _ => None,
        }
    }
    /// `profile`, `backdrop` or `logo`.
    pub fn as_str(self) -> &'static str {
        match self {
            ProfileImageKind::Profile => "profile",
            ProfileImageKind::Backdrop => "backdrop",
            ProfileImageKind::Logo => "logo",
        }
    }
    fn segment(self) -> &'static str {
        match self {
            ProfileImageKind::Profile => "profile-image",
            ProfileImageKind::Backdrop => "backdrop-image",
            ProfileImageKind::Logo => "logo-image",
        }
    }
}

crate::catalogue::choice!(ProfileImageKind, &["profile", "backdrop", "logo"]);

/// `client.users()`.
pub struct Users<'a> {
    pub(crate) client: &'a Client,
}

impl Client {
    /// Users, profiles, reviews.
    pub fn users(&self) -> Users<'_> {
        Users { client: self }
    }
}

fn user_path(user_id: i64) -> Result<String> {
    Ok(format!("/v1/users/{}", id("user_id", user_id)?))
}

/// Profile field limits (reference §1.4.15).
const PROFILE_LIMITS: [(&str, usize); 6] =
    [("title", 150), ("description", 500), ("videoUrl", 150), ("mission", 500), ("sellerUrl", 150), ("awards", 500)];

fn check_profile(profile: &Value) -> Result<()> {
    let Some(obj) = profile.as_object() else { return Err(Error::invalid_input("profile", "must be an object")) };
    for (field, max) in PROFILE_LIMITS {
        max_len(obj.get(field), field, max)?;
    }
    Ok(())
}

fn check_review_settings(settings: &Value) -> Result<()> {
    let Some(obj) = settings.as_object() else { return Err(Error::invalid_input("settings", "must be an object")) };
    max_len(obj.get("reviewsPlatform"), "reviewsPlatform", 150)?;
    max_len(obj.get("reviewsUser"), "reviewsUser", 100)?;
    Ok(())
}

impl Users<'_> {
    /// `GET /v1/me`, which answers with a redirect to the user: followed.
    pub async fn me(&self) -> Result<User> {
        decode(self.me_value().await?)
    }
    /// [`Users::me`] on JSON.
    pub async fn me_value(&self) -> Result<Value> {
        let mut req = Request::new(Method::GET, "/v1/me");
        req.pass_redirects = true;
        let resp = self.client.send(req).await?;
        if (300..400).contains(&resp.status) {
            let path = location_path(&resp).ok_or_else(|| {
                Error::new(ErrorKind::Decode, "GET /v1/me answered with a redirect without Location").with_status(resp.status)
            })?;
            return self.client.get_value(path).await;
        }
        resp.json()
    }

    /// The current user's id (from [`Users::me`]).
    pub async fn my_id(&self) -> Result<i64> {
        let me = self.me_value().await?;
        me.get("userId").and_then(Value::as_i64).ok_or_else(|| Error::new(ErrorKind::Decode, "the current user has no userId"))
    }

    /// `GET /v1/users/{userId}`.
    pub async fn get(&self, user_id: i64) -> Result<User> {
        decode(self.client.get_value(user_path(user_id)?).await?)
    }

    /// `POST /v1/users` with a client-credentials token of scope `create_account` (fetched by the
    /// client): `{email, name?, postcode?, phoneNumber?, locale?, status?}` → the user.
    ///
    /// # Errors
    ///
    /// Invalid input, before anything is sent, for `user` (not an object), `email` (missing or
    /// without `@`), `phoneNumber` (against the documented phone rules), `locale` (not allowed
    /// on the platform), `name` (over 30 characters) or `postcode` (over 6); an authentication
    /// error when the client credentials are missing or refused; otherwise the errors of any
    /// call.
    pub async fn create(&self, user: &Value) -> Result<User> {
        decode(self.create_value(user).await?)
    }
    /// [`Users::create`] on JSON.
    pub async fn create_value(&self, user: &Value) -> Result<Value> {
        check_new_user(self.client.platform(), user)?;
        let (mut created, id) = self.client.create("/v1/users".to_owned(), user, Some(&["create_account"])).await?;
        if created.get("userId").is_none() {
            if let Some(id) = id.and_then(|i| i.parse::<i64>().ok()) {
                super::insert(&mut created, "userId", id);
            }
        }
        Ok(created)
    }

    /// `POST /v1/users/{userId}/change-email` with `{newEmail}`: a confirmation goes to the old
    /// address. Invalid input for `newEmail` when it is not an e-mail address, `user_id` when
    /// not positive.
    pub async fn change_email(&self, user_id: i64, new_email: &str) -> Result<ChangeEmailResult> {
        decode(self.change_email_value(user_id, new_email).await?)
    }
    /// [`Users::change_email`] on JSON.
    pub async fn change_email_value(&self, user_id: i64, new_email: &str) -> Result<Value> {
        if !new_email.contains('@') || new_email.trim().len() < 3 {
            return Err(Error::invalid_input("newEmail", "is not an e-mail address"));
        }
        let path = format!("{}/change-email", user_path(user_id)?);
        self.client.send_json(Method::POST, path, &json!({"newEmail": new_email})).await?.json()
    }

    /// One page of `GET /v1/users/{userId}/advertisements`: `offset` must be a multiple of
    /// `limit` (1–100), as the server demands.
    ///
    /// # Errors
    ///
    /// Invalid input for `limit` (outside 1..=100), `offset` (not a multiple of `limit`; code
    /// `pagination-invalid`) or `user_id` (not positive).
    pub async fn ads_page(&self, user_id: i64, offset: u64, limit: u64) -> Result<Collection> {
        decode(self.ads_page_value(user_id, offset, limit).await?)
    }
    /// [`Users::ads_page`] on JSON.
    pub async fn ads_page_value(&self, user_id: i64, offset: u64, limit: u64) -> Result<Value> {
        check_page(offset, limit)?;
        let query = vec![("offset".to_owned(), offset.to_string()), ("limit".to_owned(), limit.to_string())];
        self.client.get_query(format!("{}/advertisements", user_path(user_id)?), query).await
    }

    /// All advertisements of a user (the current user when `user_id` is `None`), fetched page by
    /// page (`page_size`, default and maximum 100), stopping after `limit` items. Items are the
    /// ads as JSON (embedded without attribute values); nothing is sent until the first is read.
    ///
    /// # Errors
    ///
    /// Invalid input for `page_size` (outside 1..=100) or `user_id` (not positive).
    pub fn ads(&self, user_id: Option<i64>, limit: Option<u64>, page_size: Option<u64>) -> Result<Paginator> {
        let page_size = page_size.unwrap_or(MAX_ADS_PAGE);
        if !(1..=MAX_ADS_PAGE).contains(&page_size) {
            return Err(Error::invalid_input("page_size", format!("must be between 1 and {MAX_ADS_PAGE}, got {page_size}")));
        }
        if let Some(u) = user_id {
            id("user_id", u)?;
        }
        let source = UserAds { client: self.client.clone(), user_id, offset: 0, page_size, done: false };
        Ok(Paginator::new(source, limit))
    }

    /// `GET /v1/users/{userId}/brands`.
    pub async fn brands(&self, user_id: i64) -> Result<Brands> {
        decode(self.client.get_value(format!("{}/brands", user_path(user_id)?)).await?)
    }

    /// `GET /v1/users/{userId}/profile`.
    pub async fn profile(&self, user_id: i64) -> Result<Profile> {
        decode(self.client.get_value(format!("{}/profile", user_path(user_id)?)).await?)
    }
    /// `PUT /v1/users/{userId}/profile`. Invalid input for `profile` (not an object) or a field
    /// over its length (`title` 150, `description` 500, `videoUrl` 150, `mission` 500,
    /// `sellerUrl` 150, `awards` 500).
    pub async fn replace_profile(&self, user_id: i64, profile: &Value) -> Result<Value> {
        check_profile(profile)?;
        let req = Request::new(Method::PUT, format!("{}/profile", user_path(user_id)?)).json(profile)?;
        self.client.update(req, profile.clone()).await
    }
    /// `PATCH /v1/users/{userId}/profile` with JSON Patch operations (`add`, `remove`,
    /// `replace`; others are refused with `invalid-patch-operation`).
    pub async fn patch_profile(&self, user_id: i64, ops: &Value) -> Result<Value> {
        let checked = patching::checked(ops)?;
        self.client.update(patching::request(format!("{}/profile", user_path(user_id)?), &checked)?, json!({})).await
    }

    fn profile_image_path(&self, user_id: i64, kind: ProfileImageKind) -> Result<String> {
        Ok(format!("{}/profile/{}", user_path(user_id)?, kind.segment()))
    }
    /// `GET /v1/users/{userId}/profile/{profile,backdrop,logo}-image` (404 when there is none).
    pub async fn profile_image(&self, user_id: i64, kind: ProfileImageKind) -> Result<Value> {
        self.client.get_value(self.profile_image_path(user_id, kind)?).await
    }
    /// `POST .../{kind}-image` with the image as a file (`multipart/form-data`, part `file`):
    /// JPG, PNG or BMP, under 8 MB (the server checks). A file on disk is streamed, and re-read
    /// on a retry.
    pub async fn upload_profile_image(&self, user_id: i64, kind: ProfileImageKind, file: UploadSource) -> Result<Value> {
        let path = self.profile_image_path(user_id, kind)?;
        let (body, _) = crate::upload::multipart("file", "file", vec![file], None).map_err(|e| e.rename_fields(single_file))?;
        // A new image each time: never repeated once it may have reached the server.
        let req = Request::new(Method::POST, path).body(body).idempotency(crate::transport::Idempotency::Unsafe);
        self.client.send(req).await?.json()
    }
    /// `POST .../{kind}-image` with `{url}`. Invalid input for `url` when it is not `http(s)`.
    pub async fn set_profile_image(&self, user_id: i64, kind: ProfileImageKind, url: &str) -> Result<Value> {
        match url::Url::parse(url) {
            Ok(u) if matches!(u.scheme(), "http" | "https") => {}
            _ => return Err(Error::invalid_input("url", format!("{url:?} is not an http(s) URL"))),
        }
        let path = self.profile_image_path(user_id, kind)?;
        self.client.send_json(Method::POST, path, &json!({"url": url})).await?.json()
    }
    /// `DELETE .../{kind}-image`.
    pub async fn delete_profile_image(&self, user_id: i64, kind: ProfileImageKind) -> Result<()> {
        self.client.delete_value(self.profile_image_path(user_id, kind)?).await.map(|_| ())
    }

    /// `GET /v1/users/{userId}/reviews`.
    pub async fn reviews(&self, user_id: i64) -> Result<Reviews> {
        decode(self.client.get_value(format!("{}/reviews", user_path(user_id)?)).await?)
    }
    /// `GET /v1/users/{userId}/reviews-settings`.
    pub async fn review_settings(&self, user_id: i64) -> Result<ReviewSettings> {
        decode(self.client.get_value(format!("{}/reviews-settings", user_path(user_id)?)).await?)
    }
    /// `PUT /v1/users/{userId}/reviews-settings` with `{reviewsPlatform, reviewsUser}`. Invalid
    /// input for `settings` (not an object), `reviewsPlatform` (over 150 characters) or
    /// `reviewsUser` (over 100).
    pub async fn replace_review_settings(&self, user_id: i64, settings: &Value) -> Result<Value> {
        check_review_settings(settings)?;
        let req = Request::new(Method::PUT, format!("{}/reviews-settings", user_path(user_id)?)).json(settings)?;
        self.client.update(req, settings.clone()).await
    }
    /// `PATCH /v1/users/{userId}/reviews-settings` with JSON Patch operations (`add`, `remove`,
    /// `replace`).
    pub async fn patch_review_settings(&self, user_id: i64, ops: &Value) -> Result<Value> {
        let checked = patching::checked(ops)?;
        self.client.update(patching::request(format!("{}/reviews-settings", user_path(user_id)?), &checked)?, json!({})).await
    }

    /// `GET /v1/users/{userId}/features` (`bedrijfsprofilering`, `klantscore`).
    pub async fn features(&self, user_id: i64) -> Result<Collection> {
        decode(self.client.get_value(format!("{}/features", user_path(user_id)?)).await?)
    }
    /// `POST /v1/users/{userId}/features/{featureName}/buy-feature` with `{"pay": true}`.
    pub async fn buy_feature(&self, user_id: i64, name: &str, order_id: Option<i64>) -> Result<Order> {
        decode(self.buy_feature_value(user_id, name, order_id).await?)
    }
    /// [`Users::buy_feature`] on JSON.
    pub async fn buy_feature_value(&self, user_id: i64, name: &str, order_id: Option<i64>) -> Result<Value> {
        let path = format!("{}/features/{}/buy-feature", user_path(user_id)?, seg("name", name)?);
        Ok(self.client.create(path, &pay_body(order_id), None).await?.0)
    }

    /// `GET /v1/users/{userId}/statistics`.
    pub async fn statistics(&self, user_id: i64) -> Result<Value> {
        self.client.get_value(format!("{}/statistics", user_path(user_id)?)).await
    }

    /// `GET /v2/users/{userId}/legal-status` (DSA approval).
    pub async fn legal_status(&self, user_id: i64) -> Result<LegalStatus> {
        decode(self.client.get_value(format!("/v2/users/{}/legal-status", id("user_id", user_id)?)).await?)
    }

    /// `GET /v1/users`: the collection resource (links only).
    pub async fn collection(&self) -> Result<Collection> {
        decode(self.client.get_value("/v1/users".to_owned()).await?)
    }
}

/// `offset` a multiple of `limit`, `limit` 1–100 (reference §5.1). Invalid input for `limit`,
/// or for `offset` with the code `pagination-invalid`.
pub fn check_page(offset: u64, limit: u64) -> Result<()> {
    if !(1..=MAX_ADS_PAGE).contains(&limit) {
        return Err(Error::invalid_input("limit", format!("must be between 1 and {MAX_ADS_PAGE}, got {limit}")));
    }
    if offset % limit != 0 {
        return Err(Error::invalid_input("offset", format!("must be a multiple of the limit ({limit}), got {offset}"))
            .with_code("pagination-invalid"));
    }
    Ok(())
}

struct UserAds {
    client: Client,
    user_id: Option<i64>,
    offset: u64,
    page_size: u64,
    done: bool,
}

impl PageSource for UserAds {
    fn next_page(&mut self) -> Pin<Box<dyn Future<Output = Result<Option<Vec<Value>>>> + Send + '_>> {
        Box::pin(async move {
            if self.done {
                return Ok(None);
            }
            let user_id = match self.user_id {
                Some(u) => u,
                None => {
                    let me = self.client.users().my_id().await?;
                    self.user_id = Some(me);
                    me
                }
            };
            let page = self.client.users().ads_page_value(user_id, self.offset, self.page_size).await?;
            let items = embedded_items(page.get("_embedded").and_then(Value::as_object), None);
            self.offset += self.page_size;
            let total = page.get("totalCount").and_then(Value::as_u64);
            if (items.len() as u64) < self.page_size || total.is_some_and(|t| self.offset >= t) {
                self.done = true;
            }
            if items.is_empty() {
                self.done = true;
                return Ok(None);
            }
            Ok(Some(items))
        })
    }
}

/// `file[0].filename` → `file.filename`: the upload takes one file, named `file`.
fn single_file(field: &str) -> Option<String> {
    field.strip_prefix("file[0]").map(|rest| format!("file{rest}"))
}
