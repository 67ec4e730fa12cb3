//! A Node readable stream fed into a core upload: JS pushes chunks (`push` resolves when the
//! chunk is queued, so a slow upload slows the reader down), the core reads them as the request
//! body goes out. Memory stays bounded by the channel (a few chunks), not by the file size.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use bytes::Bytes;
use napi::bindgen_prelude::{Buffer, PromiseRaw};
use napi::Env;
use napi_derive::napi;
use sellkit::eqp::{ByteStream, StreamFactory};
use tokio::sync::mpsc;

type Chunk = std::io::Result<Bytes>;

/// Receivers of streams not yet handed to an upload, by id.
fn waiting() -> &'static Mutex<HashMap<u32, mpsc::Receiver<Chunk>>> {
    static WAITING: OnceLock<Mutex<HashMap<u32, mpsc::Receiver<Chunk>>>> = OnceLock::new();
    WAITING.get_or_init(Default::default)
}

/// The JS end of one stream.
#[napi]
pub struct NativeUploadStream {
    id: u32,
    tx: Arc<Mutex<Option<mpsc::Sender<Chunk>>>>,
}

#[napi]
impl NativeUploadStream {
    #[napi(constructor)]
    pub fn new() -> Self {
        static NEXT: AtomicU32 = AtomicU32::new(1);
        let id = NEXT.fetch_add(1, Ordering::Relaxed);
        let (tx, rx) = mpsc::channel(4);
        waiting().lock().unwrap_or_else(|p| p.into_inner()).insert(id, rx);
        NativeUploadStream { id, tx: Arc::new(Mutex::new(Some(tx))) }
    }

    #[napi(getter)]
    pub fn id(&self) -> u32 {
        self.id
    }

    /// Queue a chunk; resolves to false when the upload no longer reads (finished or failed).
    #[napi(ts_return_type = "Promise<boolean>")]
    pub fn push<'env>(&self, env: &'env Env, chunk: Buffer) -> napi::Result<PromiseRaw<'env, bool>> {
        let bytes = Bytes::from(chunk.to_vec());
        let tx = self.tx.lock().unwrap_or_else(|p| p.into_inner()).clone();
        env.spawn_future(async move {
            Ok(match tx {
                Some(tx) => tx.send(Ok(bytes)).await.is_ok(),
                None => false,
            })
        })
    }

    /// The stream ended.
    #[napi]
    pub fn end(&self) {
        self.tx.lock().unwrap_or_else(|p| p.into_inner()).take();
    }

    /// The stream failed: the upload fails with this message.
    #[napi]
    pub fn fail(&self, message: String) {
        if let Some(tx) = self.tx.lock().unwrap_or_else(|p| p.into_inner()).take() {
            let _ = tx.try_send(Err(std::io::Error::other(message)));
        }
    }

    /// The upload settled: drop both ends (a pending `push` resolves to false).
    #[napi]
    pub fn close(&self) {
        self.end();
        waiting().lock().unwrap_or_else(|p| p.into_inner()).remove(&self.id);
    }
}

impl Default for NativeUploadStream {
    fn default() -> Self {
        Self::new()
    }
}

/// The core's stream factory for stream `id`: the first attempt reads the channel; a retry
/// cannot re-read a JS stream and fails with a clear message.
pub fn factory(id: u32) -> Option<StreamFactory> {
    let rx = waiting().lock().unwrap_or_else(|p| p.into_inner()).remove(&id)?;
    let slot = Mutex::new(Some(rx));
    Some(Arc::new(move || {
        let rx = slot.lock().unwrap_or_else(|p| p.into_inner()).take().ok_or_else(|| {
            std::io::Error::other("a stream from JS cannot be read a second time (the upload was retried); pass a path or bytes to make it retryable")
        })?;
        let stream: ByteStream = Box::pin(futures_util::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|chunk| (chunk, rx)) }));
        Ok(stream)
    }))
}
