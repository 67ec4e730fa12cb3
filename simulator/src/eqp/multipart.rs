//! A streaming `multipart/form-data` reader: counts and hashes each part's bytes as they arrive,
//! never holding a part in memory.

use axum::body::Body;
use bytes::{Buf, BytesMut};
use futures_util::StreamExt;

use super::md5::Md5;

/// One part as received.
#[derive(Debug, Clone)]
pub(crate) struct Part {
    pub name: String,
    pub filename: Option<String>,
    pub content_type: Option<String>,
    pub size: u64,
    pub md5: String,
}

/// The boundary of a `multipart/form-data` content type.
pub(crate) fn boundary(content_type: &str) -> Option<String> {
    let (mime, params) = content_type.split_once(';')?;
    if !mime.trim().eq_ignore_ascii_case("multipart/form-data") {
        return None;
    }
    params.split(';').find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim().eq_ignore_ascii_case("boundary").then(|| v.trim().trim_matches('"').to_owned())
    })
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || hay.len() < needle.len() {
        return None;
    }
    let first = needle[0];
    let last_start = hay.len() - needle.len();
    let mut i = 0;
    while i <= last_start {
        match hay[i..=last_start].iter().position(|&b| b == first) {
            None => return None,
            Some(p) => {
                i += p;
                if &hay[i..i + needle.len()] == needle {
                    return Some(i);
                }
                i += 1;
            }
        }
    }
    None
}

enum State {
    Preamble,
    AfterBoundary,
    Headers,
    Content { part: Part, md5: Md5 },
    Done,
}

/// Read every part of `body`.
pub(crate) async fn read_parts(body: Body, boundary: &str) -> Result<Vec<Part>, String> {
    let opening = format!("--{boundary}").into_bytes();
    let delimiter = format!("\r\n--{boundary}").into_bytes();
    let mut stream = body.into_data_stream();
    let mut buf = BytesMut::new();
    let mut parts = Vec::new();
    let mut state = State::Preamble;
    let mut eof = false;
    loop {
        // Make as much progress as the buffer allows.
        let progressed = match &mut state {
            State::Done => return Ok(parts),
            State::Preamble => match find(&buf, &opening) {
                Some(i) => {
                    buf.advance(i + opening.len());
                    state = State::AfterBoundary;
                    true
                }
                None => false,
            },
            State::AfterBoundary => {
                if buf.len() >= 2 {
                    if &buf[..2] == b"--" {
                        state = State::Done;
                    } else if &buf[..2] == b"\r\n" {
                        buf.advance(2);
                        state = State::Headers;
                    } else {
                        return Err("malformed boundary line".into());
                    }
                    true
                } else {
                    false
                }
            }
            State::Headers => match find(&buf, b"\r\n\r\n") {
                Some(i) => {
                    let head = String::from_utf8_lossy(&buf[..i]).into_owned();
                    buf.advance(i + 4);
                    let mut part = Part { name: String::new(), filename: None, content_type: None, size: 0, md5: String::new() };
                    for line in head.split("\r\n") {
                        let Some((k, v)) = line.split_once(':') else { continue };
                        let k = k.trim().to_ascii_lowercase();
                        if k == "content-disposition" {
                            for p in v.split(';').skip(1) {
                                if let Some((pk, pv)) = p.split_once('=') {
                                    let pv = pv.trim().trim_matches('"').to_owned();
                                    match pk.trim() {
                                        "name" => part.name = pv,
                                        "filename" => part.filename = Some(pv),
                                        _ => {}
                                    }
                                }
                            }
                        } else if k == "content-type" {
                            part.content_type = Some(v.trim().to_owned());
                        }
                    }
                    state = State::Content { part, md5: Md5::new() };
                    true
                }
                None if buf.len() > 16 * 1024 => return Err("part headers too long".into()),
                None => false,
            },
            State::Content { part, md5 } => match find(&buf, &delimiter) {
                Some(i) => {
                    md5.update(&buf[..i]);
                    part.size += i as u64;
                    buf.advance(i + delimiter.len());
                    let State::Content { mut part, md5 } = std::mem::replace(&mut state, State::AfterBoundary) else {
                        unreachable!()
                    };
                    part.md5 = md5.hex();
                    parts.push(part);
                    true
                }
                None => {
                    // Everything except a possible start of the delimiter is content.
                    let keep = delimiter.len() - 1;
                    if buf.len() > keep {
                        let n = buf.len() - keep;
                        md5.update(&buf[..n]);
                        part.size += n as u64;
                        buf.advance(n);
                    }
                    false
                }
            },
        };
        if progressed {
            continue;
        }
        if eof {
            return Err("the body ended inside the multipart message".into());
        }
        match stream.next().await {
            Some(Ok(chunk)) => buf.extend_from_slice(&chunk),
            Some(Err(e)) => return Err(format!("reading the body failed: {e}")),
            None => eof = true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn parts_are_counted_and_hashed_across_chunks() {
        let body = "preamble\r\n--XyZ\r\nContent-Disposition: form-data; name=\"file[]\"; filename=\"a.txt\"\r\nContent-Type: text/plain\r\n\r\nabc\r\n--XyZ\r\nContent-Disposition: form-data; name=\"file[]\"; filename=\"b.bin\"\r\n\r\n\r\n--Xy\r\n--XyZ--\r\n";
        // Feed it one byte at a time.
        let chunks: Vec<Result<bytes::Bytes, std::io::Error>> = body.bytes().map(|b| Ok(bytes::Bytes::from(vec![b]))).collect();
        let parts = read_parts(Body::from_stream(futures_util::stream::iter(chunks)), "XyZ").await.unwrap();
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0].filename.as_deref(), Some("a.txt"));
        assert_eq!(parts[0].size, 3);
        assert_eq!(parts[0].md5, "900150983cd24fb0d6963f7d28e17f72");
        assert_eq!(parts[1].size, 6, "content that looks like a boundary but is not");
        assert_eq!(boundary("multipart/form-data; boundary=\"XyZ\""), Some("XyZ".into()));
        assert_eq!(boundary("application/json"), None);
    }
}
