//! Uploaded files.

use crate::model::model;
use super::status::MalwareStatus;

model! {
    /// A file record (`GET /files/uploads/:id`, list entries, upload results).
    pub struct FileRecord {
        /// Id of the upload; reference the file by it.
        file_upload_id: String = "file_upload_id" [always],
        /// Original file name.
        filename: String = "filename" [always],
        /// The field table spells it `content-type`; both are read.
        content_type: String = "content_type" | "content-type" [always],
        /// Size in bytes.
        size: u64 = "size" [always],
        /// `pass`, `fail`, `in-progress` (documented); `passed`, `queued` (observed).
        malware_status: MalwareStatus = "malware_status",
        /// MD5 of the content, set once the scan passed.
        file_hash: String = "file_hash",
        /// Download URL, when there is one.
        url: String = "url",
        /// Submissions the file is linked to.
        submission_ids: Vec<String> = "submission_ids",
        /// Whether the file is a profile image.
        is_profile_image: bool = "is_profile_image",
    }
}

impl FileRecord {
    /// Whether the malware scan passed.
    pub fn scan_passed(&self) -> bool {
        self.malware_status.as_ref().is_some_and(MalwareStatus::is_passed)
    }
    /// Whether the malware scan refused the file.
    pub fn scan_failed(&self) -> bool {
        self.malware_status.as_ref().is_some_and(MalwareStatus::is_failed)
    }
    /// Whether the scan is finished (passed or failed).
    pub fn scanned(&self) -> bool {
        self.scan_passed() || self.scan_failed()
    }
}
