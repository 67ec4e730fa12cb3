"""The root of sellkit's exceptions and the members some classes add (hand-written).

The classes under :class:`SellkitError` are generated from core's error table into
:mod:`sellkit._errors`; import them from :mod:`sellkit`.
"""

from __future__ import annotations

# Annotations only (postponed by the import above): `import sellkit` stays light.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, List, Optional, Tuple, Union

    from sellkit._base import FieldDetail


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


class BatchFailures:
    """What a batch error adds: the failed entries and their input positions.

    ``failed`` holds the failed entries (``index``, ``code``, ``message``, ``data``); ``details``
    names each as ``items[i]``.
    """

    failed: List[Any]

    @property
    def indices(self) -> List[int]:
        """The input positions of the failed items."""
        return [int(item["index"]) for item in getattr(self, "failed", [])]
