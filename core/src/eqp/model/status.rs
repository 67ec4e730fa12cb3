//! Open enums of EQP statuses and actions, and `actions_now_available`.

use std::collections::BTreeMap;

use serde::Serializer;
use serde_json::Value;

use crate::model::{json_type, model, open_enum, DecodeError, Describe, Field, Mode, Path, Registry, Ty};

open_enum! {
    /// `eqp_status.overall`.
    pub enum OverallStatus {
        /// `draft`: not submitted yet.
        Draft = "draft",
        /// `in_progress`: in technical and/or marketing review.
        InProgress = "in_progress",
        /// Approved, pending release.
        Approved = "approved",
        /// `released_to_store`: live on the Marketplace.
        ReleasedToStore = "released_to_store",
        /// `developer_removed_from_store`: taken off the store by the developer
        /// (`action.overall: remove`).
        DeveloperRemovedFromStore = "developer_removed_from_store",
        /// `admin_removed_from_store`: taken off the store by Marketplace staff.
        AdminRemovedFromStore = "admin_removed_from_store",
        /// `canceled_by_developer`: this version was abandoned (`action.overall: cancel`).
        CanceledByDeveloper = "canceled_by_developer",
        /// `canceled_by_admin`: this version was cancelled by Marketplace staff.
        CanceledByAdmin = "canceled_by_admin",
    }
}

open_enum! {
    /// `eqp_status.technical`.
    pub enum TechnicalStatus {
        /// `draft`: not submitted to technical review.
        Draft = "draft",
        /// `in_automation`: the automated tools are running.
        InAutomation = "in_automation",
        /// `awaiting_manual_qa`: automated tests passed; waiting for manual QA.
        AwaitingManualQa = "awaiting_manual_qa",
        /// `in_manual_qa`: in manual QA.
        InManualQa = "in_manual_qa",
        /// `approved`: technical review passed.
        Approved = "approved",
        /// `rejected`: technical review failed; fix and submit again.
        Rejected = "rejected",
        /// `recalled`: withdrawn from technical review by the developer.
        Recalled = "recalled",
    }
}

open_enum! {
    /// `eqp_status.marketing`.
    pub enum MarketingStatus {
        /// `draft`: not submitted to marketing review.
        Draft = "draft",
        /// `awaiting_marketing_review`: submitted, not picked up yet.
        AwaitingMarketingReview = "awaiting_marketing_review",
        /// `in_marketing_review`: being reviewed.
        InMarketingReview = "in_marketing_review",
        /// `approved`: marketing review passed.
        Approved = "approved",
        /// `approved_with_modifications_pending`: approved; a later change of the listing is in
        /// review while the live listing stays up.
        ApprovedWithModificationsPending = "approved_with_modifications_pending",
        /// `rejected`: marketing review failed; fix and submit again.
        Rejected = "rejected",
        /// `recalled`: withdrawn from marketing review by the developer.
        Recalled = "recalled",
    }
}

open_enum! {
    /// The malware scan state of a file. The docs say `pass`/`fail`/`in-progress`; callbacks and
    /// third-party tools see `passed` and `queued` too: use [`MalwareStatus::is_passed`] and
    /// friends rather than matching one spelling.
    pub enum MalwareStatus {
        /// `pass` (documented): no malware found.
        Pass = "pass",
        /// `passed` (observed in callbacks): no malware found.
        Passed = "passed",
        /// `fail` (documented): the file was refused.
        Fail = "fail",
        /// `failed`: the file was refused.
        Failed = "failed",
        /// `in-progress`: the scan is running.
        InProgress = "in-progress",
        /// `queued` (observed): the scan has not started.
        Queued = "queued",
    }
}

impl MalwareStatus {
    /// The scan finished and found nothing (`pass`, `passed`, any case).
    pub fn is_passed(&self) -> bool {
        matches!(self.as_str().to_ascii_lowercase().as_str(), "pass" | "passed" | "clean" | "ok")
    }
    /// The scan finished and refused the file (`fail`, `failed`, `infected`, any case).
    pub fn is_failed(&self) -> bool {
        matches!(self.as_str().to_ascii_lowercase().as_str(), "fail" | "failed" | "infected" | "error" | "rejected")
    }
    /// Not finished yet (anything else: `in-progress`, `queued`, unknown values).
    pub fn is_pending(&self) -> bool {
        !self.is_passed() && !self.is_failed()
    }
}

open_enum! {
    /// `action.technical` / `action.marketing` in a package request.
    pub enum TrackAction {
        /// `draft` (the default): save without submitting.
        Draft = "draft",
        /// `submit`: send the track for review (validates its required fields).
        Submit = "submit",
        /// `recall`: withdraw the track from review.
        Recall = "recall",
    }
}

open_enum! {
    /// `action.overall` in a package request.
    pub enum OverallAction {
        /// Take a published package off the store.
        Remove = "remove",
        /// Abandon this version.
        Cancel = "cancel",
    }
}

open_enum! {
    /// The event of an EQP callback.
    pub enum CallbackEvent {
        /// `malware_scan_complete`: the malware scan of an uploaded file finished.
        MalwareScanComplete = "malware_scan_complete",
        /// `eqp_status_update`: a package's status in a track changed.
        EqpStatusUpdate = "eqp_status_update",
    }
}

model! {
    /// `eqp_status`: where a submission is in each track.
    pub struct EqpStatus {
        /// Where the submission is as a whole.
        overall: OverallStatus = "overall" [always],
        /// Where it is in the technical track.
        technical: TechnicalStatus = "technical" [always],
        /// Where it is in the marketing track.
        marketing: MarketingStatus = "marketing" [always],
    }
}

model! {
    /// `action` of a package create or update.
    pub struct PackageAction {
        /// What to do with the technical track (`draft` when absent).
        technical: TrackAction = "technical",
        /// What to do with the marketing track (`draft` when absent).
        marketing: TrackAction = "marketing",
        /// `remove` or `cancel` the package as a whole.
        overall: OverallAction = "overall",
    }
}

/// `actions_now_available`: which actions a submission accepts now.
///
/// Documented as a comma-separated string, observed as an object of arrays
/// (`{"technical": ["recall"], ...}`); both read into the same value. A string token
/// `track:action` (or `track.action`) goes to that track, a bare token to [`Self::any`]. The
/// original JSON is kept and written back unchanged.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ActionsAvailable {
    /// Actions per track (`overall`, `technical`, `marketing`), in the order received.
    pub by_track: BTreeMap<String, Vec<String>>,
    /// Actions not tied to a track (bare tokens of the string form).
    pub any: Vec<String>,
    raw: Option<Value>,
}

impl ActionsAvailable {
    /// Read either form (see the type's docs). `Err` holds the reason when `v` is neither a
    /// string, an array of strings, nor an object of arrays (or comma-separated strings).
    pub fn from_json(v: &Value) -> Result<ActionsAvailable, String> {
        let mut out = ActionsAvailable { raw: Some(v.clone()), ..Default::default() };
        match v {
            Value::String(s) => {
                for token in s.split(',').map(str::trim).filter(|t| !t.is_empty()) {
                    match token.split_once([':', '.']) {
                        Some((track, action)) => out.push(track.trim(), action.trim()),
                        None => out.any.push(token.to_owned()),
                    }
                }
            }
            Value::Object(m) => {
                for (track, actions) in m {
                    match actions {
                        Value::Array(list) => {
                            for a in list {
                                match a.as_str() {
                                    Some(a) => out.push(track, a),
                                    None => return Err(format!("{track}: expected strings, got {}", json_type(a))),
                                }
                            }
                        }
                        Value::String(s) => {
                            for a in s.split(',').map(str::trim).filter(|t| !t.is_empty()) {
                                out.push(track, a);
                            }
                        }
                        Value::Null => {}
                        other => return Err(format!("{track}: expected an array, got {}", json_type(other))),
                    }
                }
            }
            Value::Array(list) => {
                for a in list {
                    match a.as_str() {
                        Some(a) => out.any.push(a.to_owned()),
                        None => return Err(format!("expected strings, got {}", json_type(a))),
                    }
                }
            }
            other => return Err(format!("expected a string or an object, got {}", json_type(other))),
        }
        Ok(out)
    }

    fn push(&mut self, track: &str, action: &str) {
        self.by_track.entry(track.to_owned()).or_default().push(action.to_owned());
    }

    /// The actions of one track (`overall`, `technical`, `marketing`).
    pub fn track(&self, track: &str) -> &[String] {
        self.by_track.get(track).map(Vec::as_slice).unwrap_or(&[])
    }
    /// The actions of the `overall` track (`remove`, `cancel`).
    pub fn overall(&self) -> &[String] {
        self.track("overall")
    }
    /// The actions of the `technical` track.
    pub fn technical(&self) -> &[String] {
        self.track("technical")
    }
    /// The actions of the `marketing` track.
    pub fn marketing(&self) -> &[String] {
        self.track("marketing")
    }
    /// Whether `action` is available on `track` (or on any track, for bare tokens). Case is
    /// ignored.
    pub fn allows(&self, track: &str, action: &str) -> bool {
        self.track(track).iter().any(|a| a.eq_ignore_ascii_case(action)) || self.any.iter().any(|a| a.eq_ignore_ascii_case(action))
    }
    /// The object-of-arrays form, with bare tokens under `any`.
    pub fn to_object(&self) -> Value {
        let mut m = serde_json::Map::new();
        for (track, actions) in &self.by_track {
            m.insert(track.clone(), Value::from(actions.clone()));
        }
        if !self.any.is_empty() {
            m.insert("any".into(), Value::from(self.any.clone()));
        }
        Value::Object(m)
    }
}

impl Field for ActionsAvailable {
    fn decode(v: &Value, path: &Path<'_>) -> Result<Self, DecodeError> {
        ActionsAvailable::from_json(v).map_err(|m| path.error(m))
    }
    // The view is always the object of arrays, whichever form came.
    fn encode<S: Serializer>(&self, s: S, mode: Mode) -> Result<S::Ok, S::Error> {
        match (&self.raw, mode) {
            (Some(raw), Mode::Wire) => serde::Serialize::serialize(raw, s),
            _ => serde::Serialize::serialize(&self.to_object(), s),
        }
    }
}

impl Describe for ActionsAvailable {
    fn describe(_: &mut Registry) -> Ty {
        Ty::map(Ty::list(Ty::Str))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Model;
    use serde_json::json;

    #[test]
    fn both_shapes_of_actions_now_available() {
        let a = ActionsAvailable::from_json(&json!("technical:recall, marketing:submit,remove")).unwrap();
        assert_eq!(a.technical(), ["recall"]);
        assert!(a.allows("marketing", "submit"));
        assert!(a.allows("overall", "remove"));
        let b = ActionsAvailable::from_json(&json!({"overall": ["cancel"], "technical": [], "marketing": ["submit"]})).unwrap();
        assert_eq!(b.overall(), ["cancel"]);
        assert!(b.allows("marketing", "submit"));
        assert!(!b.allows("technical", "submit"));
        assert!(ActionsAvailable::from_json(&json!(5)).is_err());
    }

    #[test]
    fn unknown_status_values_are_kept() {
        let s = EqpStatus::from_json(&json!({"overall": "on_hold", "technical": "approved"})).unwrap();
        assert_eq!(s.overall, Some(OverallStatus::Other("on_hold".into())));
        assert_eq!(s.technical, Some(TechnicalStatus::Approved));
        assert_eq!(s.to_json(), json!({"overall": "on_hold", "technical": "approved"}));
        for (v, passed, failed) in [("pass", true, false), ("passed", true, false), ("PASS", true, false), ("fail", false, true), ("queued", false, false), ("in-progress", false, false), ("scanning", false, false)] {
            let m = MalwareStatus::from(v);
            assert_eq!((m.is_passed(), m.is_failed(), m.is_pending()), (passed, failed, !passed && !failed), "{v}");
        }
    }
}
