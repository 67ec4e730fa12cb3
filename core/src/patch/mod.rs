//! JSON Pointer (RFC 6901) and JSON Patch (RFC 6902).
