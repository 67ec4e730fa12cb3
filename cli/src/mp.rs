//! `sellkit mp ...`: whoami, ads (list, get, patch, renew), webhook verify.

use std::io::Read;

use futures_util::StreamExt;
use sellkit::catalogue::{Out, MARKTPLAATS};
use sellkit::marktplaats::{Client, ClientBuilder};
use sellkit::{Error, Result};
use serde_json::{json, Value};

use crate::args::{AdsCommand, MpArgs, MpCommand, MpConnection, WebhookCommand};
use crate::output::{at, cell, pairs, table, Ui};
use crate::{EXIT_OK, EXIT_REJECTED};

/// The Marktplaats client of these flags and the `SELLKIT_MP_*` variables (flags win). A
/// refresh token that the server rotates is announced on stderr, never printed.
pub fn client(c: &MpConnection) -> Result<Client> {
    let mut b = builder(c);
    let given = c.refresh_token.clone().or_else(|| std::env::var("SELLKIT_MP_REFRESH_TOKEN").ok().filter(|v| !v.is_empty()));
    if let Some(store) = token_store(c, given.is_some()) {
        b = b.token_store(store);
    }
    b = b.on_token(move |set| {
        if let (Some(new), Some(old)) = (&set.refresh_token, &given) {
            if new.expose() != old {
                eprintln!("sellkit: warning: the server issued a new refresh token (not shown); the one given may no longer work");
            }
        }
        Ok(())
    });
    b.env_defaults().build()
}

/// A builder with the connection flags set (the variables are read by `env_defaults`).
pub fn builder(c: &MpConnection) -> ClientBuilder {
    let mut b = Client::builder().user_agent_suffix(concat!("sellkit-cli/", env!("CARGO_PKG_VERSION")));
    if let Some(v) = &c.platform {
        b = b.platform_name(v);
    }
    if let Some(v) = &c.client_id {
        b = b.client_id(v);
    }
    if let Some(v) = &c.client_secret {
        b = b.client_secret(v.as_str());
    }
    if let Some(v) = &c.refresh_token {
        b = b.refresh_token(v.as_str());
    }
    if let Some(v) = &c.base_url {
        b = b.base_url(v);
    }
    if let Some(v) = &c.auth_base_url {
        b = b.auth_base_url(v);
    }
    b
}

/// The token store of a command: `--token-store`, else `SELLKIT_TOKEN_STORE` (read by the
/// builder), else the file `mp login` writes, unless a refresh token was given: then the
/// caller manages its tokens and nothing is kept unless a store is named.
fn token_store(c: &MpConnection, refresh_token_given: bool) -> Option<String> {
    if c.token_store.is_some() {
        return c.token_store.clone();
    }
    if refresh_token_given || std::env::var(sellkit::store::ENV_TOKEN_STORE).is_ok_and(|v| !v.trim().is_empty()) {
        return None;
    }
    crate::config_dir::store_url(crate::config_dir::TOKENS_FILE)
}

/// A call refused for want of a token says how to get one.
pub fn explain_no_token(e: Error) -> Error {
    if e.code() == "no-token" {
        Error::new(e.kind(), format!("not signed in: run `sellkit mp login` (or set SELLKIT_MP_REFRESH_TOKEN): {}", e.message())).with_code("no-token")
    } else {
        e
    }
}

pub async fn call(client: &Client, op: &str, args: Value) -> Result<Value> {
    match MARKTPLAATS.call_json(client, op, args).await? {
        Out::Json(v) => Ok(v),
        _ => Ok(Value::Null),
    }
}

pub async fn run(args: MpArgs, ui: &Ui) -> Result<i32> {
    match &args.command {
        MpCommand::Webhook(WebhookCommand::Verify { secret, signature }) => return verify(secret, signature, ui),
        MpCommand::Login(login) => return crate::login::run(&args.connection, login, ui).await,
        _ => {}
    }
    let client = client(&args.connection)?;
    run_with(client, args.command, ui).await.map_err(explain_no_token)
}

async fn run_with(client: Client, command: MpCommand, ui: &Ui) -> Result<i32> {
    match command {
        MpCommand::Whoami => {
            let me = call(&client, "users.me", json!({})).await?;
            ui.result(&me, || {
                pairs(&[
                    ("user_id", cell(me.get("userId"))),
                    ("name", cell(me.get("name"))),
                    ("email", cell(me.get("email"))),
                    ("status", cell(me.get("status"))),
                    ("platform", client.platform().as_str().to_owned()),
                ])
            });
        }
        MpCommand::Ads(AdsCommand::List { limit }) => {
            let pages = MARKTPLAATS.list_json(&client, "users.ads", json!({"limit": limit}))?;
            let mut ads = Vec::new();
            let mut stream = std::pin::pin!(pages.into_stream());
            while let Some(ad) = stream.next().await {
                ads.push(ad?);
            }
            let view = Value::Array(ads);
            ui.result(&view, || {
                let rows = view
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|a| {
                        vec![cell(a.get("itemId")), cell(a.get("title")), cell(a.get("status")), cell(at(a, "priceModel.askingPrice")), cell(a.get("categoryId"))]
                    })
                    .collect();
                table(&["ITEM", "TITLE", "STATUS", "PRICE (CENTS)", "CATEGORY"], rows)
            });
        }
        MpCommand::Ads(AdsCommand::Get { item_id }) => {
            let ad = call(&client, "ads.get", json!({"item_id": item_id})).await?;
            ui.result(&ad, || ad_text(&ad));
        }
        MpCommand::Ads(AdsCommand::Patch { item_id, set }) => {
            let ops = set.iter().enumerate().map(|(i, s)| set_op(i, s)).collect::<Result<Vec<Value>>>()?;
            let ad = call(&client, "ads.patch", json!({"item_id": item_id, "ops": ops})).await?;
            ui.result(&ad, || ad_text(&ad));
        }
        MpCommand::Ads(AdsCommand::Renew { item_id }) => {
            let order = call(&client, "ads.renew", json!({"item_id": item_id})).await?;
            ui.result(&order, || format!("renewed {item_id}\n{}", crate::output::document(&order)));
        }
        MpCommand::Sync(sync) => return crate::catalogue_sync::run(&client, sync, ui).await,
        MpCommand::Webhook(_) | MpCommand::Login(_) => unreachable!("handled above"),
    }
    Ok(EXIT_OK)
}

fn ad_text(ad: &Value) -> String {
    pairs(&[
        ("item_id", cell(ad.get("itemId"))),
        ("title", cell(ad.get("title"))),
        ("status", cell(ad.get("status"))),
        ("category", cell(ad.get("categoryId"))),
        ("price (cents)", cell(at(ad, "priceModel.askingPrice"))),
        ("price type", cell(at(ad, "priceModel.modelType"))),
        ("description", cell(ad.get("description"))),
    ])
}

/// `PATH=VALUE` as a JSON Patch operation: `add` sets an object member whether or not it is
/// there (and is safe to repeat); a list index is `replace`d.
fn set_op(i: usize, s: &str) -> Result<Value> {
    let field = format!("--set[{i}]");
    let (path, value) = s.split_once('=').ok_or_else(|| Error::invalid_input(field.clone(), format!("expected PATH=VALUE, got {s:?}")))?;
    let path = path.trim();
    if path.is_empty() || path == "/" {
        return Err(Error::invalid_input(field, "the PATH is empty"));
    }
    let pointer = if path.starts_with('/') {
        path.to_owned()
    } else {
        path.split('.').map(|p| format!("/{}", p.replace('~', "~0").replace('/', "~1"))).collect()
    };
    let value: Value = serde_json::from_str(value).unwrap_or_else(|_| Value::String(value.to_owned()));
    let last = pointer.rsplit('/').next().unwrap_or("");
    let op = if !last.is_empty() && last.bytes().all(|b| b.is_ascii_digit()) { "replace" } else { "add" };
    Ok(json!({"op": op, "path": pointer, "value": value}))
}

fn verify(secret: &str, signature: &str, ui: &Ui) -> Result<i32> {
    let mut body = Vec::new();
    std::io::stdin().read_to_end(&mut body).map_err(|e| Error::invalid_input("stdin", format!("cannot read the body: {e}")))?;
    // The body's exact bytes are signed: they go as bytes, not through text.
    let mut a = sellkit::catalogue::Args::new();
    a.set("body", sellkit::catalogue::Arg::Bytes(body.into()));
    a.set("signature", sellkit::catalogue::Arg::Json(json!(signature)));
    a.set("secret", sellkit::catalogue::Arg::Json(json!(secret)));
    let op = MARKTPLAATS.find_function("verify_webhook")?;
    let valid = matches!(sellkit::catalogue::function(op, a)?, Out::Json(Value::Bool(true)));
    ui.result(&json!({"valid": valid}), || if valid { "valid signature".into() } else { "INVALID signature".into() });
    Ok(if valid { EXIT_OK } else { EXIT_REJECTED })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_reads_json_or_text_and_dotted_or_pointer_paths() {
        assert_eq!(set_op(0, "title=Lamp, red").unwrap(), json!({"op": "add", "path": "/title", "value": "Lamp, red"}));
        assert_eq!(set_op(0, "priceModel.askingPrice=1500").unwrap(), json!({"op": "add", "path": "/priceModel/askingPrice", "value": 1500}));
        assert_eq!(set_op(0, "/images/0={\"url\":\"x\"}").unwrap(), json!({"op": "replace", "path": "/images/0", "value": {"url": "x"}}));
        assert_eq!(set_op(2, "nothing").unwrap_err().field(), Some("--set[2]"));
    }
}
