//! `sellkit._native.Paginator`: a `sellkit::pagination::Paginator` as a Python iterator (pages
//! fetched with the GIL released) and, through `next_page_async`, the pages of an async iterator.
//! Conversion only: what a page is, and when the list ends, is core's.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use pyo3::exceptions::PyStopIteration;
use pyo3::prelude::*;
use serde_json::Value;

use crate::convert::to_py;
use crate::errors::to_pyerr;
use crate::runtime::{block_on, future_into_py};

type Inner = Arc<tokio::sync::Mutex<sellkit::pagination::Paginator>>;

#[pyclass(module = "sellkit._native", name = "Paginator", frozen)]
pub struct Paginator {
    inner: Inner,
    /// Items of the last page not yet handed out (sync iteration).
    buffer: Mutex<VecDeque<Value>>,
}

impl Paginator {
    pub fn new(p: sellkit::pagination::Paginator) -> Paginator {
        Paginator { inner: Arc::new(tokio::sync::Mutex::new(p)), buffer: Mutex::new(VecDeque::new()) }
    }
}

#[pymethods]
impl Paginator {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        if let Some(v) = self.buffer.lock().unwrap_or_else(|p| p.into_inner()).pop_front() {
            return to_py(py, &v);
        }
        let inner = self.inner.clone();
        let page = block_on(py, async move { inner.lock().await.next_page().await })?.map_err(|e| to_pyerr(py, &e))?;
        match page {
            Some(items) => {
                let mut buffer = self.buffer.lock().unwrap_or_else(|p| p.into_inner());
                buffer.extend(items);
                match buffer.pop_front() {
                    Some(v) => to_py(py, &v),
                    None => Err(PyStopIteration::new_err(())),
                }
            }
            None => Err(PyStopIteration::new_err(())),
        }
    }

    /// The next page (a list, never empty), or `None` at the end.
    fn next_page<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let buffered: Vec<Value> = self.buffer.lock().unwrap_or_else(|p| p.into_inner()).drain(..).collect();
        if !buffered.is_empty() {
            return to_py(py, &Value::Array(buffered));
        }
        let inner = self.inner.clone();
        let page = block_on(py, async move { inner.lock().await.next_page().await })?.map_err(|e| to_pyerr(py, &e))?;
        to_py(py, &page.map(Value::Array).unwrap_or(Value::Null))
    }

    /// [`Self::next_page`] as an awaitable: one hand-off to the runtime per page, so that
    /// `async for` costs one await of native work per page, not per item.
    fn next_page_async<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let buffered: Vec<Value> = self.buffer.lock().unwrap_or_else(|p| p.into_inner()).drain(..).collect();
        let inner = self.inner.clone();
        future_into_py(
            py,
            async move {
                if !buffered.is_empty() {
                    return Ok(Some(buffered));
                }
                inner.lock().await.next_page().await
            },
            |py, page| match page {
                Ok(page) => to_py(py, &page.map(Value::Array).unwrap_or(Value::Null)),
                Err(e) => Err(to_pyerr(py, &e)),
            },
        )
    }
}
