//! `multipart/form-data` request bodies, read as they stream in (with `multer`): EQP uploads are
//! counted and hashed part by part without being held, a Marktplaats profile image is kept up
//! to its size limit.

use axum::body::{Body, Bytes};
use axum::http::header::CONTENT_TYPE;
use md5::{Digest, Md5};

/// One EQP upload part as received.
#[derive(Debug, Clone)]
pub(crate) struct HashedPart {
    pub name: String,
    pub filename: Option<String>,
    /// The part's own `Content-Type`, as sent.
    pub content_type: Option<String>,
    pub size: u64,
    /// MD5 of the content, lower-case hex.
    pub md5: String,
}

/// A streaming reader of `body`, or `None` when `content_type` is not `multipart/form-data`
/// with a boundary.
fn reader(body: Body, content_type: &str) -> Option<multer::Multipart<'static>> {
    let boundary = multer::parse_boundary(content_type).ok()?;
    Some(multer::Multipart::new(body.into_data_stream(), boundary))
}

/// Why a multipart body could not be read.
#[derive(Debug)]
pub(crate) enum Refusal {
    /// The content type is not `multipart/form-data` with a boundary.
    NotMultipart,
    /// The body is not a well-formed multipart message (or reading it failed).
    Malformed(String),
}

/// Count and hash every part of `body`, holding one chunk at a time.
pub(crate) async fn hash_parts(body: Body, content_type: &str) -> Result<Vec<HashedPart>, Refusal> {
    let mut multipart = reader(body, content_type).ok_or(Refusal::NotMultipart)?;
    let malformed = |e: multer::Error| Refusal::Malformed(e.to_string());
    let mut parts = Vec::new();
    while let Some(mut field) = multipart.next_field().await.map_err(malformed)? {
        let mut part = HashedPart {
            name: field.name().unwrap_or_default().to_owned(),
            filename: field.file_name().map(str::to_owned),
            content_type: field.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).map(str::to_owned),
            size: 0,
            md5: String::new(),
        };
        let mut md5 = Md5::new();
        while let Some(chunk) = field.chunk().await.map_err(malformed)? {
            md5.update(&chunk);
            part.size += chunk.len() as u64;
        }
        part.md5 = hex(&md5.finalize());
        parts.push(part);
    }
    Ok(parts)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The file part named `name` of a form.
#[derive(Debug)]
pub(crate) enum FilePart {
    /// No part of that name.
    Missing,
    /// Larger than the limit (the rest of the body was read and thrown away).
    TooLarge,
    /// The part's bytes.
    File(Bytes),
}

/// The first part named `name`, kept up to `max` bytes. The whole body is read even when the
/// part is too large, so that the client gets the answer rather than a broken pipe.
pub(crate) async fn file_part(body: Body, content_type: &str, name: &str, max: usize) -> Result<FilePart, Refusal> {
    let mut multipart = reader(body, content_type).ok_or(Refusal::NotMultipart)?;
    let malformed = |e: multer::Error| Refusal::Malformed(e.to_string());
    let mut found = FilePart::Missing;
    while let Some(mut field) = multipart.next_field().await.map_err(malformed)? {
        let wanted = matches!(found, FilePart::Missing) && field.name() == Some(name);
        let mut kept = Vec::new();
        let mut too_large = false;
        while let Some(chunk) = field.chunk().await.map_err(malformed)? {
            if wanted && !too_large {
                if kept.len() + chunk.len() > max {
                    too_large = true;
                    kept = Vec::new();
                } else {
                    kept.extend_from_slice(&chunk);
                }
            }
        }
        if wanted {
            found = if too_large { FilePart::TooLarge } else { FilePart::File(Bytes::from(kept)) };
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one_byte_chunks(body: &str) -> Body {
        let chunks: Vec<Result<Bytes, std::io::Error>> = body.bytes().map(|b| Ok(Bytes::from(vec![b]))).collect();
        Body::from_stream(futures_util::stream::iter(chunks))
    }

    const BODY: &str = "preamble\r\n--XyZ\r\nContent-Disposition: form-data; name=\"file[]\"; filename=\"a.txt\"\r\nContent-Type: text/plain\r\n\r\nabc\r\n--XyZ\r\nContent-Disposition: form-data; name=\"file[]\"; filename=\"b.bin\"\r\n\r\n\r\n--Xy\r\n--XyZ--\r\n";

    #[tokio::test]
    async fn parts_are_counted_and_hashed_across_chunks() {
        let parts = hash_parts(one_byte_chunks(BODY), "multipart/form-data; boundary=\"XyZ\"").await.unwrap();
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0].filename.as_deref(), Some("a.txt"));
        assert_eq!(parts[0].content_type.as_deref(), Some("text/plain"));
        assert_eq!(parts[0].size, 3);
        assert_eq!(parts[0].md5, "900150983cd24fb0d6963f7d28e17f72");
        assert_eq!(parts[1].size, 6, "content that looks like a boundary but is not");
        assert_eq!(parts[1].md5, format!("{:x}", Md5::digest(b"\r\n--Xy")));
        assert!(matches!(hash_parts(Body::empty(), "application/json").await, Err(Refusal::NotMultipart)));
        let cut = &BODY[..BODY.len() - 12];
        assert!(matches!(hash_parts(one_byte_chunks(cut), "multipart/form-data; boundary=XyZ").await, Err(Refusal::Malformed(_))));
    }

    #[tokio::test]
    async fn a_file_part_is_kept_up_to_its_limit() {
        let ct = "multipart/form-data; boundary=XyZ";
        let FilePart::File(b) = file_part(one_byte_chunks(BODY), ct, "file[]", 3).await.unwrap() else { panic!("kept") };
        assert_eq!(&b[..], b"abc");
        assert!(matches!(file_part(one_byte_chunks(BODY), ct, "file[]", 2).await.unwrap(), FilePart::TooLarge));
        assert!(matches!(file_part(one_byte_chunks(BODY), ct, "file", 10).await.unwrap(), FilePart::Missing));
    }
}
