//! `/rest/v1/users/:mage_id/keys`: Magento 2 Composer keys (repo.magento.com credentials).

use reqwest::Method;
use serde_json::{json, Value};

use super::client::Client;
use super::model::{ComposerKey, KeyList, Model, NewKey};
use super::users::{encode_segment, user_path};
use crate::batch::{decode_entries, BatchResult};
use crate::error::{Error, Result};
use crate::transport::Request;

/// Which keys to list (every field optional).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KeyFilter {
    /// `m1`, `m2` or `all` (the default).
    pub key_type: Option<String>,
    /// One m2 key by label.
    pub label: Option<String>,
    /// Your mage_id, an Adobe org id, or `all` (the default).
    pub uid: Option<String>,
}

/// `client.users().keys()`.
pub struct Keys<'a> {
    pub(crate) client: &'a Client,
}

impl Keys<'_> {
    async fn base(&self) -> Result<String> {
        Ok(format!("{}/keys", user_path(&self.client.require_mage_id().await?)))
    }

    /// `GET /rest/v1/users/:mage_id/keys[?type&label&uid]`.
    ///
    /// # Errors
    ///
    /// Invalid input for `type` (not `m1`, `m2` or `all`), `label` or `uid` (given but blank);
    /// otherwise the errors of any call.
    pub async fn list(&self, filter: &KeyFilter) -> Result<KeyList> {
        if let Some(t) = &filter.key_type {
            if !["m1", "m2", "all"].contains(&t.as_str()) {
                return Err(Error::invalid_input("type", format!("expected m1, m2 or all; got {t:?}")));
            }
        }
        non_empty("label", filter.label.as_deref())?;
        non_empty("uid", filter.uid.as_deref())?;
        let mut req = Request::new(Method::GET, self.base().await?);
        for (k, v) in [("type", &filter.key_type), ("label", &filter.label), ("uid", &filter.uid)] {
            if let Some(v) = v {
                req = req.query(k, v.clone());
            }
        }
        KeyList::from_json(&self.client.send(req).await?.json()?)
    }

    /// The body [`Keys::create`] sends: `{"m2": [{label, uid?}, ...]}`.
    ///
    /// # Errors
    ///
    /// Invalid input for `keys` (empty) or `keys[i].label` (missing, blank, over 32 characters,
    /// or repeated).
    pub fn create_body(keys: &[NewKey]) -> Result<Value> {
        if keys.is_empty() {
            return Err(Error::invalid_input("keys", "at least one key is needed"));
        }
        let mut seen = std::collections::HashSet::new();
        for (i, k) in keys.iter().enumerate() {
            let label = k.label.as_deref().unwrap_or("");
            if label.trim().is_empty() {
                return Err(Error::invalid_input(format!("keys[{i}].label"), "is required"));
            }
            if label.chars().count() > 32 {
                return Err(Error::invalid_input(format!("keys[{i}].label"), "must be at most 32 characters"));
            }
            if !seen.insert(label.to_owned()) {
                return Err(Error::invalid_input(format!("keys[{i}].label"), format!("{label:?} appears twice; labels must be unique")));
            }
        }
        Ok(json!({ "m2": keys.iter().map(Model::to_json).collect::<Vec<_>>() }))
    }

    /// `POST /rest/v1/users/:mage_id/keys`: create key pairs. The answer is per label, like a
    /// batch: one [`crate::batch::BatchItem`] per input key, in input order. A whole-request
    /// failure is an error. The keys are checked as in [`Keys::create_body`] before sending.
    pub async fn create(&self, keys: &[NewKey]) -> Result<BatchResult<ComposerKey>> {
        let body = Self::create_body(keys)?;
        let req = Request::new(Method::POST, self.base().await?).json(&body)?;
        let answer = self.client.send(req).await?.json()?;
        let entries = match answer {
            Value::Object(mut m) => match m.remove("m2") {
                Some(Value::Array(a)) => a,
                _ => Vec::new(),
            },
            Value::Array(a) => a,
            _ => Vec::new(),
        };
        let items = decode_entries(entries, keys.len(), |v| ComposerKey::from_json(&v))?;
        Ok(BatchResult { items })
    }

    /// The body of an enable/disable: `{"m2": [{"is_enabled": bool, "uid"?: ...}]}`.
    pub fn set_enabled_body(enabled: bool, uid: Option<&str>) -> Value {
        let mut item = json!({ "is_enabled": enabled });
        if let Some(uid) = uid {
            item["uid"] = json!(uid);
        }
        json!({ "m2": [item] })
    }

    /// `PUT /rest/v1/users/:mage_id/keys/:label`: enable or disable a key. Returns the keys the
    /// server answered with (the changed one).
    ///
    /// # Errors
    ///
    /// Invalid input for `label` (blank, control characters, `.` or `..`) or `uid` (given but
    /// blank); otherwise the errors of any call.
    pub async fn set_enabled(&self, label: &str, enabled: bool, uid: Option<&str>) -> Result<Vec<ComposerKey>> {
        non_empty("label", Some(label))?;
        super::files::check_id("label", label)?;
        non_empty("uid", uid)?;
        let path = format!("{}/{}", self.base().await?, encode_segment(label));
        let req = Request::new(Method::PUT, path).json(&Self::set_enabled_body(enabled, uid))?;
        let list = KeyList::from_json(&self.client.send(req).await?.json()?)?;
        Ok(list.m2.unwrap_or_default())
    }
    /// [`set_enabled`](Self::set_enabled) with `true`.
    pub async fn enable(&self, label: &str, uid: Option<&str>) -> Result<Vec<ComposerKey>> {
        self.set_enabled(label, true, uid).await
    }
    /// [`set_enabled`](Self::set_enabled) with `false`.
    pub async fn disable(&self, label: &str, uid: Option<&str>) -> Result<Vec<ComposerKey>> {
        self.set_enabled(label, false, uid).await
    }

    /// `DELETE /rest/v1/users/:mage_id/keys/:label[?uid=]` (204 No Content). Errors as
    /// [`set_enabled`](Self::set_enabled).
    pub async fn delete(&self, label: &str, uid: Option<&str>) -> Result<()> {
        non_empty("label", Some(label))?;
        super::files::check_id("label", label)?;
        non_empty("uid", uid)?;
        let path = format!("{}/{}", self.base().await?, encode_segment(label));
        let mut req = Request::new(Method::DELETE, path);
        if let Some(uid) = uid {
            req = req.query("uid", uid);
        }
        self.client.send(req).await?;
        Ok(())
    }
}

fn non_empty(field: &str, v: Option<&str>) -> Result<()> {
    match v {
        Some(s) if s.trim().is_empty() => Err(Error::invalid_input(field, "must not be empty")),
        _ => Ok(()),
    }
}
