//! The envelope the marketplace POSTs to a registered callback URL.

use crate::model::model;
use super::status::{CallbackEvent, EqpStatus, MalwareStatus};
use super::timestamp::Timestamp;

model! {
    /// `update_info` of a callback; which fields are set depends on the event.
    pub struct UpdateInfo {
        /// `malware_scan_complete`.
        file_upload_id: String = "file_upload_id",
        /// `malware_scan_complete`: the verdict (`passed` in the docs' example).
        tool_result: MalwareStatus = "tool_result",
        /// `eqp_status_update`.
        submission_id: String = "submission_id",
        /// `eqp_status_update`: the developer's item id of the package.
        item_id: String = "item_id",
        /// The track that changed (`technical`, `marketing`, ...).
        eqp_flow: String = "eqp_flow",
        /// The new status in that track. Documented as `current_status`; live payloads have
        /// used `eqp_state`: both are read here (and written back under the name they came in).
        current_status: String = "current_status" | "eqp_state",
        /// `eqp_status_update`: the package's status in every track.
        eqp_status: EqpStatus = "eqp_status",
        /// When the change happened.
        modified_at: Timestamp = "modified_at",
    }
}

model! {
    /// A callback: `{"callback_event": ..., "update_info": {...}}`. Unknown events are kept.
    pub struct CallbackEnvelope {
        /// What happened.
        callback_event: CallbackEvent = "callback_event" [always],
        /// The details; which fields are set depends on the event.
        update_info: UpdateInfo = "update_info" [always],
    }
}

impl CallbackEnvelope {
    /// The event (an unknown one as [`CallbackEvent::Other`]).
    pub fn event(&self) -> CallbackEvent {
        self.callback_event.clone().unwrap_or_else(|| CallbackEvent::Other(String::new()))
    }
    /// The update info (empty when absent).
    pub fn info(&self) -> UpdateInfo {
        self.update_info.clone().unwrap_or_default()
    }
}
