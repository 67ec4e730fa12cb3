"""The exceptions of sellkit: one class per kind of failure, all under :class:`SellkitError`."""

from __future__ import annotations

# Annotations only (postponed by the import above): `import sellkit` stays light.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict, List, Optional, Tuple, Type, Union

    from sellkit._base import FieldDetail

__all__ = [
    "SellkitError",
    "InvalidInputError",
    "AuthenticationError",
    "PermissionDeniedError",
    "NotFoundError",
    "ConflictError",
    "ValidationError",
    "RateLimitError",
    "ServerError",
    "APIError",
    "APITimeoutError",
    "APIConnectionError",
    "DecodeError",
    "InternalError",
    "BatchError",
]


class SellkitError(Exception):
    """Any error raised by sellkit.

    ``str(error)`` reads as one line: the message, then the HTTP status, the API's code, the
    request id and ``retry_after`` when there are any, then ``[code]``.

    Attributes:
        code: stable machine code (``invalid-input``, ``rate-limited``, ...); an error made by
            hand without one has its ``kind`` as code.
        kind: the broad category; each subclass has its own.
        message: the message alone.
        status: the HTTP status, when a server answered.
        api_code: the API's own error code (``int`` for EQP, ``str`` for Marktplaats).
        details: field-level problems, from client-side checks or from the server.
        request_id: the server's request id, to quote to its support.
        retry_after: seconds the server asked to wait before trying again.
        body: the raw response body (at most 4 KiB).
        field: the field an invalid-input error is about (the first detail's field).
        outcome_unknown: a request reached the server and the connection broke or timed out
            before an answer, so the server may have processed it. ``False`` means the call
            changed nothing on the server. Look the object up before sending a create again.
    """

    kind: str = "unknown"
    code: str
    message: str
    status: Optional[int]
    api_code: Union[int, str, None]
    details: List[FieldDetail]
    request_id: Optional[str]
    retry_after: Optional[float]
    body: Optional[str]
    field: Optional[str]
    outcome_unknown: bool

    def __init__(
        self,
        text: str,
        *,
        message: Optional[str] = None,
        code: Optional[str] = None,
        kind: Optional[str] = None,
        status: Optional[int] = None,
        api_code: Union[int, str, None] = None,
        details: Optional[List[FieldDetail]] = None,
        request_id: Optional[str] = None,
        retry_after: Optional[float] = None,
        body: Optional[str] = None,
        field: Optional[str] = None,
        outcome_unknown: bool = False,
    ) -> None:
        super().__init__(text)
        if kind is not None and kind != type(self).kind:
            self.kind = kind  # a kind newer than this package's classes
        self.message = text if message is None else message
        self.code = self.kind if code is None else code
        self.status = status
        self.api_code = api_code
        self.details = list(details) if details else []
        self.request_id = request_id
        self.retry_after = retry_after
        self.body = body
        self.field = field
        self.outcome_unknown = outcome_unknown

    def __reduce__(self) -> Tuple[Any, ...]:
        # Keyword-only fields survive pickling (multiprocessing, concurrent.futures).
        return (type(self), (str(self),), self.__dict__)


class InvalidInputError(SellkitError):
    """Bad input, caught before anything was sent; ``field`` names it."""

    kind = "invalid_input"


class AuthenticationError(SellkitError):
    """HTTP 401, or credentials refused by a token endpoint."""

    kind = "authentication"


class PermissionDeniedError(SellkitError):
    """HTTP 403."""

    kind = "permission_denied"


class NotFoundError(SellkitError):
    """HTTP 404."""

    kind = "not_found"


class ConflictError(SellkitError):
    """HTTP 409."""

    kind = "conflict"


class ValidationError(SellkitError):
    """HTTP 400 or 422: the server understood the request and refused it."""

    kind = "validation"


class RateLimitError(SellkitError):
    """HTTP 429, or a ``Retry-After`` longer than the client waits (see ``retry_after``)."""

    kind = "rate_limited"


class ServerError(SellkitError):
    """HTTP 5xx, after the retries the call allowed."""

    kind = "server"


class APIError(SellkitError):
    """Any other HTTP error status (405, 406, 410, ...)."""

    kind = "api"


class APITimeoutError(SellkitError):
    """The request or the connection timed out."""

    kind = "timeout"


class APIConnectionError(SellkitError):
    """The connection could not be made or was broken."""

    kind = "connection"


class DecodeError(SellkitError):
    """The response could not be decoded."""

    kind = "decode"


class InternalError(SellkitError):
    """A bug inside sellkit; please report it."""

    kind = "internal"


class BatchError(SellkitError):
    """Raised by ``BatchResult.raise_for_failures()``: some items of a batch failed.

    ``failed`` holds the failed entries (``index``, ``code``, ``message``, ``data``), ``indices``
    their input positions; ``details`` names each as ``items[i]``.
    """

    kind = "batch"
    failed: List[Any]

    @property
    def indices(self) -> List[int]:
        """The input positions of the failed items."""
        return [int(item["index"]) for item in getattr(self, "failed", [])]


_BY_KIND: Dict[str, Type[SellkitError]] = {
    cls.kind: cls
    for cls in (
        InvalidInputError,
        AuthenticationError,
        PermissionDeniedError,
        NotFoundError,
        ConflictError,
        ValidationError,
        RateLimitError,
        ServerError,
        APIError,
        APITimeoutError,
        APIConnectionError,
        DecodeError,
        InternalError,
        BatchError,
    )
}
