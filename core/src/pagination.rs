//! Lists that fetch pages lazily.
//!
//! Each API pages its own way (EQP: `offset`/`limit` with `X-Total-Count`; Marktplaats: an offset
//! that is a multiple of the limit, or `next` links). A [`PageSource`] knows one way; a
//! [`Paginator`] drives any of them and is what the Rust API returns as a `Stream` and what the
//! bindings wrap as Python iterators and Node async iterables.
//!
//! In Rust a list is a [`ListStream`]: a `Stream` that is `Unpin`, so it is read with
//! [`StreamExt::next`] (re-exported here) without pinning it first:
//!
//! ```
//! use sellkit::pagination::StreamExt;
//! use sellkit::eqp::{Client, ListOptions, PackageFilter};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let sim = sellkit_simulator::Simulator::start(Default::default())?;
//! # let client = Client::builder().app_id(sim.eqp_app_id()).app_secret(sim.eqp_app_secret()).base_url(sim.eqp_url()).build()?;
//! let filter = PackageFilter::new().with("type", "extension");
//! let mut packages = client.packages().list(&filter, ListOptions::default());
//! while let Some(package) = packages.next().await {
//!     println!("{:?}", package?.name);
//! }
//! # Ok(()) }
//! ```
//!
//! **Read-ahead.** Once a page is handed out, the next one is requested at once, on the tokio
//! runtime, while the caller works through the one it has: a list costs about one round trip
//! per page *in parallel* with the caller's work instead of after it. At most one page is read
//! ahead; none past the end, past a `limit`, or after an error; and dropping the paginator
//! aborts the request in flight. Nothing is sent before the first page is asked for.

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

/// `next()`, `map()`, `collect()`... for a [`ListStream`] (futures' `StreamExt`).
pub use futures_util::StreamExt;
use futures_util::stream::{self, Stream};
use serde_json::Value;
use tokio::task::JoinHandle;
use tracing::Instrument;

use crate::error::{Error, ErrorKind, Result};

/// The future of one page: its items, or `None` when the list is exhausted.
pub type PageFuture<'a> = Pin<Box<dyn Future<Output = Result<Option<Vec<Value>>>> + Send + 'a>>;

/// Fetches the next page of a list.
pub trait PageSource: Send + 'static {
    /// The next page's items, `Ok(None)` when there are no more. An empty page is skipped by
    /// [`Paginator`], so a source may return one; an error ends the list.
    fn next_page(&mut self) -> PageFuture<'_>;
}

/// The page being read ahead, and the source coming back with it.
type ReadAhead = JoinHandle<(Box<dyn PageSource>, Result<Option<Vec<Value>>>)>;

/// A lazily fetched list of JSON items, with an optional cap on how many items it yields.
pub struct Paginator {
    /// `None` while the source is away reading the next page (in `ahead`).
    source: Option<Box<dyn PageSource>>,
    ahead: Option<ReadAhead>,
    buffer: VecDeque<Value>,
    remaining: Option<u64>,
    done: bool,
}

impl std::fmt::Debug for Paginator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Paginator")
            .field("buffered", &self.buffer.len())
            .field("remaining", &self.remaining)
            .field("reading_ahead", &self.ahead.is_some())
            .finish()
    }
}

impl Drop for Paginator {
    /// A page still being read ahead is not wanted any more: its request is aborted.
    fn drop(&mut self) {
        if let Some(ahead) = self.ahead.take() {
            ahead.abort();
        }
    }
}

impl Paginator {
    /// `limit` stops the list after that many items, whatever the pages hold.
    pub fn new(source: impl PageSource, limit: Option<u64>) -> Paginator {
        Paginator { source: Some(Box::new(source)), ahead: None, buffer: VecDeque::new(), remaining: limit, done: false }
    }

    /// The same list with every item passed through `f` (for the bindings: the view of each
    /// item). Call it before the first page is read.
    pub fn map(mut self, f: fn(Value) -> Result<Value>) -> Paginator {
        debug_assert!(self.buffer.is_empty() && self.ahead.is_none(), "map a paginator before reading it");
        let inner = self.source.take().expect("a paginator not yet read has its source");
        Paginator::new(Mapped { inner, f }, self.remaining)
    }

    /// The next page of items (never empty), or `None` at the end. The page after it is then
    /// read ahead (see the module docs).
    pub async fn next_page(&mut self) -> Result<Option<Vec<Value>>> {
        self.page(true).await
    }

    /// The next page; with `read_ahead`, the one after it is requested at once.
    async fn page(&mut self, read_ahead: bool) -> Result<Option<Vec<Value>>> {
        if !self.buffer.is_empty() {
            return Ok(Some(self.buffer.drain(..).collect()));
        }
        loop {
            if self.done || self.remaining == Some(0) {
                return Ok(None);
            }
            let Some(mut page) = self.fetch().await? else {
                self.done = true;
                return Ok(None);
            };
            if let Some(rem) = self.remaining.as_mut() {
                page.truncate((*rem).min(usize::MAX as u64) as usize);
                *rem -= page.len() as u64;
            }
            if !page.is_empty() {
                if read_ahead {
                    self.read_ahead();
                }
                return Ok(Some(page));
            }
        }
    }

    /// The next page from the source: the one read ahead when there is one.
    async fn fetch(&mut self) -> Result<Option<Vec<Value>>> {
        if let Some(ahead) = self.ahead.as_mut() {
            // Awaited in place, so that a caller that stops waiting (a cancelled call) finds
            // the page still on its way next time.
            let joined = ahead.await;
            self.ahead = None;
            return match joined {
                Ok((source, page)) => {
                    self.source = Some(source);
                    page
                }
                Err(e) => {
                    // The source went down with the task.
                    self.done = true;
                    let what = if e.is_panic() { "panicked" } else { "was cancelled" };
                    Err(Error::new(ErrorKind::Internal, format!("reading the next page ahead {what}")))
                }
            };
        }
        match self.source.as_mut() {
            Some(source) => source.next_page().await,
            None => Ok(None),
        }
    }

    /// Start reading the next page on the runtime (when there may be one, and a runtime).
    fn read_ahead(&mut self) {
        if self.done || self.remaining == Some(0) {
            return;
        }
        let Ok(runtime) = tokio::runtime::Handle::try_current() else { return };
        let Some(mut source) = self.source.take() else { return };
        // The page read ahead belongs to the list's span (a binding routes records by it).
        self.ahead = Some(runtime.spawn(
            async move {
                let page = source.next_page().await;
                (source, page)
            }
            .in_current_span(),
        ));
    }

    /// The next item, fetching a page when the buffer is empty.
    pub async fn next_item(&mut self) -> Result<Option<Value>> {
        if self.buffer.is_empty() {
            match self.next_page().await? {
                Some(page) => self.buffer.extend(page),
                None => return Ok(None),
            }
        }
        Ok(self.buffer.pop_front())
    }

    /// Every remaining item, in order. The pages are read one after the other in the caller's
    /// task: no work of the caller's runs between them for a read-ahead to overlap, so it would
    /// only add a task and a hand-over per page.
    pub async fn collect_all(mut self) -> Result<Vec<Value>> {
        let mut all = Vec::new();
        while let Some(page) = self.page(false).await? {
            all.extend(page);
        }
        Ok(all)
    }

    /// The items as a [`ListStream`]; an error ends the stream after it is yielded.
    pub fn into_stream(self) -> ListStream<Value> {
        ListStream::new(stream::unfold((self, false), |(mut p, failed)| async move {
            if failed {
                return None;
            }
            match p.next_item().await {
                Ok(Some(v)) => Some((Ok(v), (p, false))),
                Ok(None) => None,
                Err(e) => Some((Err(e), (p, true))),
            }
        }))
    }
}

/// A list read as a `Stream` of results, fetching pages as it is read. It is `Unpin` (the
/// stream is boxed once), so `while let Some(item) = list.next().await` needs no `pin!`; `next`
/// comes from [`StreamExt`]. An error ends the stream after it is yielded.
#[must_use = "a list fetches nothing until it is read"]
pub struct ListStream<T> {
    inner: Pin<Box<dyn Stream<Item = Result<T>> + Send + 'static>>,
}

impl<T> ListStream<T> {
    /// A list from any stream of results.
    pub fn new(stream: impl Stream<Item = Result<T>> + Send + 'static) -> ListStream<T> {
        ListStream { inner: Box::pin(stream) }
    }

    /// Every remaining item, in order, or the first error.
    pub async fn collect_all(mut self) -> Result<Vec<T>> {
        let mut all = Vec::new();
        while let Some(item) = self.next().await {
            all.push(item?);
        }
        Ok(all)
    }
}

impl<T> Stream for ListStream<T> {
    type Item = Result<T>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<T>>> {
        self.inner.as_mut().poll_next(cx)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.inner.size_hint()
    }
}

impl<T> std::fmt::Debug for ListStream<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ListStream").finish_non_exhaustive()
    }
}

/// Pages whose items pass through a function.
struct Mapped {
    inner: Box<dyn PageSource>,
    f: fn(Value) -> Result<Value>,
}

impl PageSource for Mapped {
    fn next_page(&mut self) -> PageFuture<'_> {
        Box::pin(async move {
            match self.inner.next_page().await? {
                Some(items) => Ok(Some(items.into_iter().map(self.f).collect::<Result<_>>()?)),
                None => Ok(None),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    use std::sync::Arc;
    use std::time::Duration;

    use futures_util::FutureExt;
    use serde_json::json;

    struct Pages(Vec<Vec<Value>>);

    impl PageSource for Pages {
        fn next_page(&mut self) -> PageFuture<'_> {
            Box::pin(async move { Ok(if self.0.is_empty() { None } else { Some(self.0.remove(0)) }) })
        }
    }

    #[tokio::test]
    async fn yields_in_order_and_stops_at_the_limit() {
        let pages = || Pages(vec![vec![json!(1), json!(2)], vec![], vec![json!(3), json!(4)]]);
        assert_eq!(Paginator::new(pages(), None).collect_all().await.unwrap(), vec![json!(1), json!(2), json!(3), json!(4)]);
        assert_eq!(Paginator::new(pages(), Some(3)).collect_all().await.unwrap(), vec![json!(1), json!(2), json!(3)]);
        let streamed: Vec<_> = Paginator::new(pages(), None).into_stream().map(|r| r.unwrap()).collect().await;
        assert_eq!(streamed.len(), 4);
    }

    #[tokio::test]
    async fn a_list_stream_is_read_without_pinning() {
        fn unpin<S: Unpin>(s: S) -> S {
            s
        }
        let mut list = unpin(Paginator::new(Pages(vec![vec![json!(1)], vec![json!(2)]]), None).into_stream());
        let mut seen = Vec::new();
        while let Some(item) = list.next().await {
            seen.push(item.unwrap());
        }
        assert_eq!(seen, [json!(1), json!(2)]);
        let all = Paginator::new(Pages(vec![vec![json!(3)]]), None).into_stream().collect_all().await.unwrap();
        assert_eq!(all, [json!(3)]);
    }

    /// Pages of one item each, counting the requests; the page `slow` takes a minute, and
    /// `dropped` is set when its request is abandoned.
    struct Counted {
        next: u64,
        pages: u64,
        calls: Arc<AtomicUsize>,
        slow: Option<u64>,
        dropped: Arc<AtomicBool>,
    }

    struct SetOnDrop(Arc<AtomicBool>);
    impl Drop for SetOnDrop {
        fn drop(&mut self) {
            self.0.store(true, Ordering::SeqCst);
        }
    }

    impl PageSource for Counted {
        fn next_page(&mut self) -> PageFuture<'_> {
            Box::pin(async move {
                if self.next == self.pages {
                    return Ok(None);
                }
                self.calls.fetch_add(1, Ordering::SeqCst);
                if self.slow == Some(self.next) {
                    let _guard = SetOnDrop(self.dropped.clone());
                    tokio::time::sleep(Duration::from_secs(60)).await;
                }
                self.next += 1;
                Ok(Some(vec![json!(self.next)]))
            })
        }
    }

    fn counted(pages: u64, slow: Option<u64>) -> (Counted, Arc<AtomicUsize>, Arc<AtomicBool>) {
        let (calls, dropped) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicBool::new(false)));
        (Counted { next: 0, pages, calls: calls.clone(), slow, dropped: dropped.clone() }, calls, dropped)
    }

    /// Let the runtime run what was spawned.
    async fn settle() {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    #[tokio::test]
    async fn one_page_is_read_ahead_and_no_more() {
        let (source, calls, _) = counted(3, None);
        let mut p = Paginator::new(source, None);
        settle().await;
        assert_eq!(calls.load(Ordering::SeqCst), 0, "nothing is sent before the first page is asked for");
        assert_eq!(p.next_page().await.unwrap(), Some(vec![json!(1)]));
        settle().await;
        assert_eq!(calls.load(Ordering::SeqCst), 2, "the second page is on its way, the third is not");
        assert_eq!(p.next_page().await.unwrap(), Some(vec![json!(2)]));
        assert_eq!(p.next_page().await.unwrap(), Some(vec![json!(3)]));
        assert_eq!(p.next_page().await.unwrap(), None);
        assert_eq!(calls.load(Ordering::SeqCst), 3);
    }

    #[tokio::test]
    async fn nothing_is_read_past_the_limit() {
        let (source, calls, _) = counted(3, None);
        let mut p = Paginator::new(source, Some(1));
        assert_eq!(p.next_page().await.unwrap(), Some(vec![json!(1)]));
        settle().await;
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        assert_eq!(p.next_page().await.unwrap(), None);
    }

    #[tokio::test]
    async fn dropping_the_list_abandons_the_page_read_ahead() {
        let (source, calls, dropped) = counted(3, Some(1));
        let mut p = Paginator::new(source, None);
        assert_eq!(p.next_page().await.unwrap(), Some(vec![json!(1)]));
        settle().await;
        assert_eq!(calls.load(Ordering::SeqCst), 2);
        assert!(!dropped.load(Ordering::SeqCst));
        drop(p);
        settle().await;
        assert!(dropped.load(Ordering::SeqCst), "the request read ahead was aborted");
    }

    #[tokio::test]
    async fn a_caller_that_stops_waiting_finds_the_page_later() {
        let (source, _, _) = counted(2, None);
        let mut p = Paginator::new(source, None);
        assert_eq!(p.next_page().await.unwrap(), Some(vec![json!(1)]));
        // A wait given up after one poll (a cancelled call) leaves the page read ahead in place:
        // on this single-threaded runtime the read-ahead task cannot have run during that poll.
        assert!(p.next_page().now_or_never().is_none(), "the page read ahead had not arrived yet");
        assert_eq!(p.next_page().await.unwrap(), Some(vec![json!(2)]));
        assert_eq!(p.next_page().await.unwrap(), None);
    }
}
