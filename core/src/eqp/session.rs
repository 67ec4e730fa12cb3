//! The EQP session token: `POST /rest/v1/app/session/token` with HTTP Basic app id and secret.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use base64::Engine;
use reqwest::Method;
use serde::Deserialize;
use serde_json::{Map, Value};

use super::model::{Model, SessionRequest};
use crate::auth::{Token, TokenSource};
use crate::error::{Error, ErrorKind, Result};
use crate::secret::Secret;
use crate::transport::{Idempotency, Request, Transport};

pub(crate) const TOKEN_PATH: &str = "/rest/v1/app/session/token";

pub(crate) struct SessionSource {
    pub transport: Transport,
    pub basic: Secret,
    pub requested_ttl: Option<u64>,
    /// The account the key belongs to, learnt from each token response.
    pub mage_id: Arc<RwLock<Option<String>>>,
}

impl SessionSource {
    pub fn basic_authorization(app_id: &str, app_secret: &Secret) -> Secret {
        let raw = format!("{app_id}:{}", app_secret.expose());
        Secret::new(format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(raw)))
    }
}

#[derive(Deserialize)]
struct SessionToken {
    mage_id: String,
    ust: String,
    expires_in: u64,
}

impl TokenSource for SessionSource {
    fn fetch(&self) -> Pin<Box<dyn Future<Output = Result<Token>> + Send + '_>> {
        Box::pin(async move {
            let body = SessionRequest::new(self.requested_ttl).to_json();
            let mut req = Request::new(Method::POST, TOKEN_PATH).json(&body)?.idempotency(Idempotency::Safe);
            req.authorization = Some(self.basic.clone());
            req.secret_response = true;
            let issued_at = Instant::now();
            let resp = self.transport.execute(&req).await.map_err(|e| {
                if e.kind() == ErrorKind::Authentication {
                    e.prefix_message("the EQP app id or app secret was refused".to_owned())
                } else {
                    e
                }
            })?;
            let token: SessionToken = resp.decode().map_err(|_| {
                // Not the decoder's message: it could quote the token.
                Error::new(ErrorKind::Decode, "the session token response lacks mage_id, ust or expires_in")
                    .with_status(resp.status)
            })?;
            if token.ust.is_empty() {
                return Err(Error::new(ErrorKind::Decode, "the session token response has an empty ust"));
            }
            *self.mage_id.write().unwrap_or_else(|p| p.into_inner()) = Some(token.mage_id);
            Ok(Token::new(Secret::new(format!("Bearer {}", token.ust)), issued_at, Duration::from_secs(token.expires_in.max(1))))
        })
    }

    /// The account id goes with a shared session: a client that reads the session from a
    /// store learns it there.
    fn shared_state(&self) -> Map<String, Value> {
        let mut m = Map::new();
        if let Some(id) = self.mage_id.read().unwrap_or_else(|p| p.into_inner()).clone() {
            m.insert("mage_id".into(), id.into());
        }
        m
    }

    fn adopt_state(&self, state: &Map<String, Value>) -> Result<()> {
        match state.get("mage_id") {
            Some(Value::String(id)) => *self.mage_id.write().unwrap_or_else(|p| p.into_inner()) = Some(id.clone()),
            None | Some(Value::Null) => {}
            Some(_) => return Err(Error::new(ErrorKind::Decode, "the stored mage_id is not a string")),
        }
        Ok(())
    }
}
