//! Batch requests: one result per input item, in input order, whatever happened to each.
//!
//! The contract (EQP's documented batch semantics, kept by every batch call of sellkit):
//! - a whole-request failure (HTTP 4xx with one `{code, message}`) is an [`Error`];
//! - otherwise the result has one [`BatchItem`] per input, in input order, with the item's
//!   `code` (`200` = ok), `message` and data; a failed item is data, never an exception, and
//!   is never dropped; items are independent (no rollback);
//! - inputs larger than [`BatchOptions::chunk_size`] are split into chunks sent with at most
//!   [`BatchOptions::concurrency`] requests in flight, and the result is still in input order.
//!
//! **When one chunk of several fails as a whole** (a 4xx, a 5xx, a broken connection): the items
//! of the chunks that succeeded keep their results; each item of the failed chunk gets an entry
//! with `ok = false`, the chunk's error code (the API's code, else the HTTP status, else 0) and
//! message, and the error itself in [`BatchItem::error`]. So the failure is never silent
//! ([`BatchResult::all_ok`] is false, [`BatchResult::chunk_errors`] lists it) and no item is
//! dropped. When *every* chunk fails as a whole, nothing was processed and the call returns the
//! first chunk's error, exactly as a single request would.

use std::future::Future;

use futures_util::stream::{self, StreamExt};
use serde_json::{json, Map, Value};

use crate::error::{ApiCode, Error, ErrorKind, FieldDetail, Result};

/// How a large batch is split and sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BatchOptions {
    /// Items per request (50 by default).
    pub chunk_size: usize,
    /// Requests in flight at once (4 by default).
    pub concurrency: usize,
}

impl Default for BatchOptions {
    fn default() -> Self {
        BatchOptions { chunk_size: 50, concurrency: 4 }
    }
}

impl BatchOptions {
    /// The defaults with what a caller chose, checked.
    ///
    /// # Errors
    ///
    /// As [`validate`](Self::validate).
    pub fn choose(chunk_size: Option<u64>, concurrency: Option<u64>) -> Result<BatchOptions> {
        let mut options = BatchOptions::default();
        if let Some(n) = chunk_size {
            options.chunk_size = usize::try_from(n).unwrap_or(usize::MAX);
        }
        if let Some(n) = concurrency {
            options.concurrency = usize::try_from(n).unwrap_or(usize::MAX);
        }
        options.validate()?;
        Ok(options)
    }
    /// Check the options.
    ///
    /// # Errors
    ///
    /// Invalid input for `chunk_size` outside 1..=10000, for `concurrency` outside 1..=64.
    pub fn validate(&self) -> Result<()> {
        if self.chunk_size == 0 || self.chunk_size > 10_000 {
            return Err(Error::invalid_input("chunk_size", "must be between 1 and 10000"));
        }
        if self.concurrency == 0 || self.concurrency > 64 {
            return Err(Error::invalid_input("concurrency", "must be between 1 and 64"));
        }
        Ok(())
    }
}

/// The result of one input item.
#[derive(Debug, Clone, PartialEq)]
pub struct BatchItem<T> {
    /// Position of the item in the input.
    pub index: usize,
    /// The per-item code: `200` = ok; else the API's code, or the HTTP status of a failed chunk.
    pub code: i64,
    /// The per-item message (`Success` when the server sent none for an ok item).
    pub message: String,
    /// Whether the item succeeded (`code == 200`).
    pub ok: bool,
    /// The item's result fields (for a failed item, whatever the server sent besides the code).
    pub data: Option<T>,
    /// The item was found on the server after its request failed in transit, instead of being
    /// sent again (see the create methods).
    pub recovered: bool,
    /// The error of the whole chunk, when the item's chunk failed as a whole.
    pub error: Option<Error>,
}

impl<T> BatchItem<T> {
    /// A succeeded item (code 200) with its data.
    pub fn success(index: usize, message: impl Into<String>, data: T) -> Self {
        BatchItem { index, code: 200, message: message.into(), ok: true, data: Some(data), recovered: false, error: None }
    }
    /// An entry for an item whose request failed as a whole: not ok, code from the error's
    /// numeric API code, else its HTTP status, else 0; the error kept in [`error`](Self::error).
    pub fn from_error(index: usize, error: &Error) -> Self {
        let code = match error.api_code() {
            Some(ApiCode::Int(c)) => *c,
            _ => error.status().map(i64::from).unwrap_or(0),
        };
        BatchItem { index, code, message: error.message().to_owned(), ok: false, data: None, recovered: false, error: Some(error.clone()) }
    }
}

/// One entry per input item, in input order.
#[derive(Debug, Clone, PartialEq)]
pub struct BatchResult<T> {
    /// One entry per input item; `items[i].index == i`.
    pub items: Vec<BatchItem<T>>,
}

impl<T> BatchResult<T> {
    /// Number of items (the number of inputs).
    pub fn len(&self) -> usize {
        self.items.len()
    }
    /// Whether there were no inputs.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
    /// The items, in input order.
    pub fn iter(&self) -> std::slice::Iter<'_, BatchItem<T>> {
        self.items.iter()
    }
    /// Whether every item succeeded.
    pub fn all_ok(&self) -> bool {
        self.items.iter().all(|i| i.ok)
    }
    /// The failed items.
    pub fn failed(&self) -> Vec<&BatchItem<T>> {
        self.items.iter().filter(|i| !i.ok).collect()
    }
    /// Indices of the failed items.
    pub fn failed_indices(&self) -> Vec<usize> {
        self.items.iter().filter(|i| !i.ok).map(|i| i.index).collect()
    }
    /// The successful items.
    pub fn succeeded(&self) -> Vec<&BatchItem<T>> {
        self.items.iter().filter(|i| i.ok).collect()
    }
    /// The distinct whole-chunk errors, if any chunk failed as a whole.
    pub fn chunk_errors(&self) -> Vec<&Error> {
        let mut out: Vec<&Error> = Vec::new();
        for e in self.items.iter().filter_map(|i| i.error.as_ref()) {
            if !out.contains(&e) {
                out.push(e);
            }
        }
        out
    }
    /// `Ok(())` when every item succeeded, else an error of kind [`ErrorKind::Batch`] (code
    /// `batch-items-failed`) listing the failed indices, with one detail per failed item whose
    /// `field` is `items[<index>]`.
    pub fn raise_for_failures(&self) -> Result<()> {
        let failed = self.failed();
        if failed.is_empty() {
            return Ok(());
        }
        let listed: Vec<String> = failed.iter().take(10).map(|i| format!("#{} ({} {})", i.index, i.code, i.message)).collect();
        let more = if failed.len() > 10 { format!(" and {} more", failed.len() - 10) } else { String::new() };
        let details = failed
            .iter()
            .map(|i| FieldDetail {
                field: Some(format!("items[{}]", i.index)),
                code: Some(i.code.to_string()),
                message: Some(i.message.clone()),
                value: None,
            })
            .collect();
        Err(Error::new(
            ErrorKind::Batch,
            format!("{} of {} batch items failed: {}{more}", failed.len(), self.items.len(), listed.join(", ")),
        )
        .with_details(details))
    }
    /// Every item's data, or the error of [`Self::raise_for_failures`].
    pub fn into_result(self) -> Result<Vec<T>> {
        self.raise_for_failures()?;
        Ok(self.items.into_iter().filter_map(|i| i.data).collect())
    }
}

impl<T: crate::catalogue::View> BatchResult<T> {
    /// The view Python and Node receive: `{"items": [entry], "all_ok": bool, "failed": [entry]}`,
    /// each entry `{index, ok, code, message, data, recovered, error?}` (`data` always an object).
    pub fn into_view(self) -> Result<Value> {
        let all_ok = self.all_ok();
        let items = self
            .items
            .into_iter()
            .map(|mut i| {
                // Always an object, so that typed code reads `data["submission_id"]` of an item
                // that succeeded without a check for null; a failed item's is what the server
                // sent besides its code and message (often nothing).
                let data = i.data.take().map(crate::catalogue::View::into_view).transpose()?.unwrap_or_else(|| Value::Object(Map::new()));
                Ok(i.json_with_data(data))
            })
            .collect::<Result<Vec<Value>>>()?;
        let failed: Vec<Value> = items.iter().filter(|i| i["ok"] == Value::Bool(false)).cloned().collect();
        // Built by moving the entries in: `json!` would serialise them into a second tree.
        let mut view = Map::new();
        view.insert("items".into(), Value::Array(items));
        view.insert("all_ok".into(), Value::Bool(all_ok));
        view.insert("failed".into(), Value::Array(failed));
        Ok(Value::Object(view))
    }
}

impl<T> BatchItem<T> {
    /// `{index, ok, code, message, data, recovered, error?}` with `data` given.
    fn json_with_data(&self, data: Value) -> Value {
        let mut m = Map::new();
        m.insert("index".into(), Value::from(self.index));
        m.insert("ok".into(), Value::Bool(self.ok));
        m.insert("code".into(), Value::from(self.code));
        m.insert("message".into(), Value::String(self.message.clone()));
        m.insert("data".into(), data);
        m.insert("recovered".into(), Value::Bool(self.recovered));
        if let Some(e) = &self.error {
            m.insert("error".into(), json!({"kind": e.kind().as_str(), "code": e.code(), "status": e.status(), "message": e.message()}));
        }
        Value::Object(m)
    }
}

/// Read a per-item answer: `[{code, message, ...fields}]`, one entry per sent item.
///
/// `decode` turns an entry's remaining fields into `T` (`None` when there are none). An entry
/// without `code` counts as ok (`200`); a missing entry becomes a failed item (code 0) saying so.
/// The entries are taken by value: each one's fields move into its item, never copied.
///
/// # Errors
///
/// A decode error when an entry is not an object, or `decode`'s error.
pub fn decode_entries<T>(entries: Vec<Value>, sent: usize, decode: impl Fn(Value) -> Result<T>) -> Result<Vec<BatchItem<T>>> {
    let received = entries.len();
    let mut entries = entries.into_iter();
    let mut out = Vec::with_capacity(sent);
    for index in 0..sent {
        let Some(entry) = entries.next() else {
            out.push(BatchItem {
                index,
                code: 0,
                message: format!("the server answered {received} entries for {sent} items; none for this one"),
                ok: false,
                data: None,
                recovered: false,
                error: None,
            });
            continue;
        };
        let Value::Object(mut fields) = entry else {
            return Err(Error::new(ErrorKind::Decode, format!("batch entry {index} is not an object")));
        };
        let code = match fields.get("code") {
            Some(Value::Number(n)) => n.as_i64().unwrap_or(0),
            Some(Value::String(s)) => s.trim().parse().unwrap_or(0),
            _ => 200,
        };
        let mut message = fields.get("message").and_then(Value::as_str).unwrap_or(if code == 200 { "Success" } else { "" }).to_owned();
        // A failed entry's field details (`{field, code, message}`, as in an error body) are
        // named in its message, as a request's are; they stay in the entry's data too.
        if code != 200 {
            if let Some(summary) = crate::transport::details_summary(&crate::transport::field_details(fields.get("details"))) {
                message = if message.is_empty() { summary } else { format!("{message}: {summary}") };
            }
        }
        // shift_remove: the remaining fields keep the order the server sent them in.
        fields.shift_remove("code");
        fields.shift_remove("message");
        let data = if fields.is_empty() { None } else { Some(decode(Value::Object(fields))?) };
        out.push(BatchItem { index, code, message, ok: code == 200, data, recovered: false, error: None });
    }
    Ok(out)
}

/// Split `inputs` into chunks, run `send` on each with bounded concurrency, and put the answers
/// back in input order. `send` gets the chunk's items and returns one entry per item (indices
/// relative to the chunk). See the module docs for what a failed chunk becomes.
///
/// # Errors
///
/// As [`BatchOptions::validate`]; the first chunk's error when every chunk failed as a whole.
pub async fn run_chunked<I, T, F, Fut>(inputs: Vec<I>, options: BatchOptions, send: F) -> Result<BatchResult<T>>
where
    I: Send,
    F: Fn(Vec<I>) -> Fut,
    Fut: Future<Output = Result<Vec<BatchItem<T>>>>,
{
    options.validate()?;
    let total = inputs.len();
    let mut chunks: Vec<(usize, Vec<I>)> = Vec::new();
    let mut iter = inputs.into_iter().peekable();
    let mut offset = 0;
    while iter.peek().is_some() {
        let chunk: Vec<I> = iter.by_ref().take(options.chunk_size).collect();
        let len = chunk.len();
        chunks.push((offset, chunk));
        offset += len;
    }
    let chunk_count = chunks.len();
    let send = &send;
    let results: Vec<(usize, usize, Result<Vec<BatchItem<T>>>)> = stream::iter(chunks)
        .map(|(offset, chunk)| async move {
            let len = chunk.len();
            (offset, len, send(chunk).await)
        })
        .buffer_unordered(options.concurrency)
        .collect()
        .await;

    if chunk_count > 0 && results.iter().all(|(_, _, r)| r.is_err()) {
        let first = results.into_iter().min_by_key(|(offset, _, _)| *offset).and_then(|(_, _, r)| r.err());
        return Err(first.unwrap_or_else(|| Error::new(ErrorKind::Internal, "batch failed without an error")));
    }
    let mut slots: Vec<Option<BatchItem<T>>> = (0..total).map(|_| None).collect();
    for (offset, len, result) in results {
        match result {
            Ok(items) => {
                for mut item in items.into_iter().take(len) {
                    let local = item.index;
                    item.index = offset + local;
                    if let Some(slot) = slots.get_mut(offset + local) {
                        *slot = Some(item);
                    }
                }
            }
            Err(e) => {
                for (i, slot) in slots.iter_mut().enumerate().skip(offset).take(len) {
                    *slot = Some(BatchItem::from_error(i, &e));
                }
            }
        }
    }
    let items = slots
        .into_iter()
        .enumerate()
        .map(|(index, slot)| {
            slot.unwrap_or_else(|| BatchItem {
                index,
                code: 0,
                message: "no result for this item".into(),
                ok: false,
                data: None,
                recovered: false,
                error: None,
            })
        })
        .collect();
    Ok(BatchResult { items })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn chunks_come_back_in_input_order() {
        let inputs: Vec<u32> = (0..23).collect();
        let opts = BatchOptions { chunk_size: 5, concurrency: 3 };
        let r = run_chunked(inputs, opts, |chunk: Vec<u32>| async move {
            // Later chunks answer first.
            tokio::time::sleep(std::time::Duration::from_millis(50 - chunk[0] as u64 * 2)).await;
            Ok(chunk.iter().enumerate().map(|(i, v)| BatchItem::success(i, "ok", *v)).collect())
        })
        .await
        .unwrap();
        assert_eq!(r.len(), 23);
        for (i, item) in r.iter().enumerate() {
            assert_eq!(item.index, i);
            assert_eq!(item.data, Some(i as u32));
        }
        assert!(r.all_ok());
    }

    #[tokio::test]
    async fn a_failed_chunk_marks_its_items_and_all_failed_is_an_error() {
        let opts = BatchOptions { chunk_size: 2, concurrency: 2 };
        let r = run_chunked((0..5).collect::<Vec<u32>>(), opts, |chunk: Vec<u32>| async move {
            if chunk[0] == 2 {
                Err(Error::new(ErrorKind::Server, "boom").with_status(503))
            } else {
                Ok(chunk.iter().enumerate().map(|(i, v)| BatchItem::success(i, "ok", *v)).collect())
            }
        })
        .await
        .unwrap();
        assert_eq!(r.failed_indices(), vec![2, 3]);
        assert_eq!(r.items[2].code, 503);
        assert_eq!(r.chunk_errors().len(), 1);
        let e = r.raise_for_failures().unwrap_err();
        assert_eq!(e.code(), "batch-items-failed");
        assert_eq!(e.details().len(), 2);
        assert!(e.message().contains("#2") && e.message().contains("#3"), "{e}");

        let e = run_chunked((0..5).collect::<Vec<u32>>(), opts, |_chunk: Vec<u32>| async move {
            Err::<Vec<BatchItem<u32>>, _>(Error::new(ErrorKind::PermissionDenied, "no").with_status(403))
        })
        .await
        .unwrap_err();
        assert_eq!(e.status(), Some(403));
    }

    #[test]
    fn entries_are_decoded_and_missing_ones_reported() {
        let entries = vec![json!({"code": 1208, "message": "Insufficient"}), json!({"code": 200, "message": "Success", "x": 1})];
        let items = decode_entries(entries, 3, Ok).unwrap();
        assert!(!items[0].ok && items[0].code == 1208 && items[0].data.is_none());
        assert!(items[1].ok && items[1].data == Some(json!({"x": 1})));
        assert!(!items[2].ok && items[2].message.contains("2 entries for 3"));
    }

    #[test]
    fn a_failed_entry_names_its_fields_in_its_message() {
        let entries = vec![json!({"code": 1208, "message": "Validation failed", "details": [
            {"field": "version", "code": "missing-required-field", "message": "This field is required"},
            {"field": "sku", "message": "Must be vendor/package"}]})];
        let items = decode_entries(entries, 1, Ok).unwrap();
        assert_eq!(items[0].message, "Validation failed: version: This field is required; sku: Must be vendor/package");
    }
}
