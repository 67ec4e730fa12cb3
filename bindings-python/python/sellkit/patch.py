"""JSON Pointer (RFC 6901) and JSON Patch (RFC 6902), as the Marktplaats API uses them.

>>> from sellkit import patch
>>> old = {"title": "Bike", "price": {"cents": 10000}, "tags": ["a", "b"]}
>>> new = {"title": "Red bike", "price": {"cents": 9000}, "tags": ["a"]}
>>> ops = patch.diff(old, new)
>>> ops[0]
{'op': 'replace', 'path': '/title', 'value': 'Red bike'}
>>> patch.validate(ops, server_safe=True)
>>> patch.apply(old, ops) == new
True

Documents are plain JSON values: ``dict`` (``str`` keys), ``list``, ``tuple``, ``str``, ``int``
(within 64 bits, kept exactly), ``float`` (finite), ``bool`` and ``None``. Every rule lives in the
Rust core; this module converts values and names the functions.

Errors:
    InvalidInputError: a value that is not JSON (``field`` names its path: ``doc.ads[3].price``),
        or a malformed patch (code ``invalid-patch``, ``field`` like ``ops[3].from``), or, from
        :func:`validate`, an operation the server does not support (code
        ``invalid-patch-operation``, ``field`` like ``ops[1].op``).
    ConflictError: a patch that cannot be applied to the document (code ``conflicting-state``;
        ``field`` names the operation, ``ops[2]``).
"""

from __future__ import annotations

from typing import Any, List, Literal, Sequence, TypedDict, Union, cast

from sellkit import _native

__all__ = [
    "apply",
    "diff",
    "validate",
    "is_safe_to_repeat",
    "parse",
    "Operation",
    "AddOp",
    "RemoveOp",
    "ReplaceOp",
    "MoveOp",
    "CopyOp",
    "TestOp",
]

AddOp = TypedDict("AddOp", {"op": Literal["add"], "path": str, "value": Any})
"""Add ``value`` at ``path`` (into an object member, or inserted into an array; ``/-`` appends)."""

RemoveOp = TypedDict("RemoveOp", {"op": Literal["remove"], "path": str})
"""Remove the value at ``path``."""

ReplaceOp = TypedDict("ReplaceOp", {"op": Literal["replace"], "path": str, "value": Any})
"""Replace the value at ``path``, which must exist."""

MoveOp = TypedDict("MoveOp", {"op": Literal["move"], "from": str, "path": str})
"""Move the value at ``from`` to ``path`` (not supported by the Marktplaats server)."""

CopyOp = TypedDict("CopyOp", {"op": Literal["copy"], "from": str, "path": str})
"""Copy the value at ``from`` to ``path`` (not supported by the Marktplaats server)."""

TestOp = TypedDict("TestOp", {"op": Literal["test"], "path": str, "value": Any})
"""Fail the patch unless the value at ``path`` equals ``value`` (not supported by the server)."""

Operation = Union[AddOp, RemoveOp, ReplaceOp, MoveOp, CopyOp, TestOp]
"""One JSON Patch operation, as the ``dict`` of RFC 6902."""


def apply(doc: Any, ops: Sequence[Operation]) -> Any:
    """Apply ``ops`` to a copy of ``doc`` and return the copy; ``doc`` itself is never changed.

    Atomic: if any operation fails, nothing is applied and :class:`sellkit.ConflictError`
    (code ``conflicting-state``) names the operation in ``field`` (``ops[2]``).
    """
    return _native.patch_apply(doc, ops)


def diff(old: Any, new: Any) -> List[Operation]:
    """The operations (``add``, ``remove`` and ``replace`` only, which the server supports) that
    turn ``old`` into ``new``. Values compare exactly: ``1`` and ``1.0`` differ."""
    return cast(List[Operation], _native.patch_diff(old, new))


def validate(ops: Sequence[Operation], server_safe: bool = False) -> None:
    """Check a patch before sending it; raises :class:`sellkit.InvalidInputError`.

    With ``server_safe=True``, ``move``, ``copy`` and ``test`` (which the Marktplaats server does
    not support) are refused with code ``invalid-patch-operation`` and ``field`` like ``ops[1].op``.
    """
    _native.patch_validate(ops, server_safe)


def is_safe_to_repeat(ops: Sequence[Operation]) -> bool:
    """Whether sending ``ops`` twice has the effect of sending them once, so that a PATCH whose
    outcome is unknown may be retried (``replace``, ``test``, ``add`` to an object member)."""
    return _native.patch_is_safe_to_repeat(ops)


def parse(ops: Any) -> List[Operation]:
    """Check a patch and return it in normal form: each operation as ``{"op", "from"?, "path",
    "value"?}``, pointers re-escaped, other members dropped. A malformed patch raises
    :class:`sellkit.InvalidInputError` with code ``invalid-patch``."""
    return cast(List[Operation], _native.patch_parse(ops))
