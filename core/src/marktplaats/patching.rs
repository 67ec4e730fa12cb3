//! TEMPORARY stub until the patch module lands on main.
use serde_json::Value;
use crate::error::{Error, ErrorKind, Result};
use crate::transport::Request;
pub(crate) struct Operation;
pub(crate) fn checked(_ops: &Value) -> Result<Vec<Operation>> { Err(Error::new(ErrorKind::Internal, "patch pending")) }
pub(crate) fn request(_path: String, _ops: &[Operation]) -> Result<Request> { Err(Error::new(ErrorKind::Internal, "patch pending")) }
pub(crate) fn diff_ads(_old: &Value, _new: &Value) -> Result<Value> { Err(Error::new(ErrorKind::Internal, "patch pending")) }
