"""What every generated client builds on: the client bases (blocking and asyncio), batch
results and lazily paged lists.

The clients in :mod:`sellkit.eqp` and :mod:`sellkit.marktplaats` are generated from the catalogue
of operations in the Rust core; this module only hands their calls to the native layer and wraps
what comes back. No rule lives here: every check, default and retry is the core's.
"""

from __future__ import annotations

import os
from collections import deque
from types import TracebackType
from typing import IO, Any, AsyncIterator, Callable, Deque, Dict, Generic, Iterator, List, Mapping, Optional, Tuple, Type, TypedDict, TypeVar, Union

# Aliased: the clients keep their native handle in an attribute called `_native`.
from sellkit import _native as _ext

__all__ = ["Client", "AsyncClient", "BatchResult", "ListIterator", "AsyncListIterator", "FileSource", "ProgressCallback", "FieldDetail"]


class FieldDetail(TypedDict):
    """One field-level problem in a :class:`sellkit.SellkitError`: from a check before sending
    or from the server's ``details``."""

    field: Optional[str]
    code: Optional[str]
    message: Optional[str]
    value: Any

FileSource = Union[
    str,
    "os.PathLike[str]",
    Tuple[str, bytes],
    Tuple[str, bytes, Optional[str]],
    IO[bytes],
]
"""A file to upload: a path, ``(filename, bytes)`` or ``(filename, bytes, content_type)``, or a
binary file object (streamed from disk when it reads a file there from its start, otherwise read
in chunks)."""

ProgressCallback = Union[Callable[[int, int], Any], Any]
"""A callable ``(sent, total)``, or an object with ``update(n)`` (a ``tqdm`` bar) fed the bytes
sent since its last update. Called at most every 50 ms, and at the end."""

_T = TypeVar("_T")
_C = TypeVar("_C", bound="_ClientBase")


class _ClientBase:
    _native: _ext.Client

    def _open(self, native: _ext.Client) -> None:
        self._native = native
        self._attach()

    def _attach(self) -> None:
        """Create the resource objects (generated)."""

    def _derive(self: _C, settings: Mapping[str, Any]) -> _C:
        client = type(self).__new__(type(self))
        client._open(self._native.with_options(dict(settings)))
        return client

    def _property(self, name: str) -> Any:
        return self._native.property(name)

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` was called."""
        return self._native.closed

    def __repr__(self) -> str:
        name = f"{type(self).__module__.split('._')[0]}.{type(self).__qualname__}"
        if self._native.closed:
            return f"<{name} closed>"
        shown = " ".join(
            f"{p}={self._property(p)!r}" for p in _REPR_PROPERTIES if isinstance(getattr(type(self), p, None), property)
        )
        return f"<{name} {shown}>"


# What a client's repr shows of the properties its API has: where it talks and as whom (never a
# secret).
_REPR_PROPERTIES = ("platform", "base_url", "app_id", "mage_id")


class Client(_ClientBase):
    """The blocking client base: calls wait with the GIL released."""

    def _call(self, op: str, args: Dict[str, Any]) -> Any:
        return self._native.call(op, args)

    def _batch(self, op: str, args: Dict[str, Any]) -> BatchResult[Any]:
        view, error = self._native.call(op, args)
        return BatchResult(view, error)

    def _list(self, op: str, args: Dict[str, Any]) -> ListIterator[Any]:
        return ListIterator(self._native.list(op, args))

    def close(self) -> None:
        """Release the client: calls already running finish, new calls raise."""
        self._native.close()

    def __enter__(self: _C) -> _C:
        return self

    def __exit__(self, exc_type: Optional[Type[BaseException]], exc: Optional[BaseException], tb: Optional[TracebackType]) -> None:
        self.close()


class AsyncClient(_ClientBase):
    """The asyncio client base: calls are coroutines, lists async iterators."""

    async def _call(self, op: str, args: Dict[str, Any]) -> Any:
        return await self._native.call_async(op, args)

    async def _batch(self, op: str, args: Dict[str, Any]) -> BatchResult[Any]:
        view, error = await self._native.call_async(op, args)
        return BatchResult(view, error)

    def _list(self, op: str, args: Dict[str, Any]) -> AsyncListIterator[Any]:
        return AsyncListIterator(self._native.list(op, args))

    async def close(self) -> None:
        """Release the client: calls already running finish, new calls raise."""
        self._native.close()

    async def __aenter__(self: _C) -> _C:
        return self

    async def __aexit__(self, exc_type: Optional[Type[BaseException]], exc: Optional[BaseException], tb: Optional[TracebackType]) -> None:
        await self.close()


class BatchResult(Generic[_T]):
    """The result of a batch: one entry per input item, in input order. A failed item is data,
    not an exception; :meth:`raise_for_failures` raises the one :class:`sellkit.BatchError` that
    reports them."""

    __slots__ = ("raw", "_error")

    def __init__(self, view: Mapping[str, Any], error: Optional[BaseException]) -> None:
        self.raw: Dict[str, Any] = dict(view)
        self._error = error

    @property
    def items(self) -> List[_T]:
        """One entry per input item: ``index``, ``ok``, ``code``, ``message``, ``data``, ``recovered``."""
        return self.raw["items"]  # type: ignore[no-any-return]

    @property
    def failed(self) -> List[_T]:
        """The entries of the items that failed."""
        return self.raw["failed"]  # type: ignore[no-any-return]

    @property
    def all_ok(self) -> bool:
        """Whether every item succeeded."""
        return bool(self.raw["all_ok"])

    @property
    def data(self) -> List[Any]:
        """The ``data`` of every entry, in input order."""
        return [item["data"] for item in self.raw["items"]]

    def raise_for_failures(self) -> BatchResult[_T]:
        """Raise :class:`sellkit.BatchError` (its ``failed`` lists the entries) if any item failed."""
        if self._error is not None:
            raise self._error
        return self

    def __len__(self) -> int:
        return len(self.raw["items"])

    def __iter__(self) -> Iterator[_T]:
        return iter(self.items)

    def __repr__(self) -> str:
        return f"<BatchResult items={len(self)} failed={[f['index'] for f in self.raw['failed']]}>"


class ListIterator(Iterator[_T]):
    """A lazily paged list: pages are fetched as you iterate (with the GIL released)."""

    __slots__ = ("_native",)

    def __init__(self, native: _ext.Paginator) -> None:
        self._native = native

    def __iter__(self) -> ListIterator[_T]:
        return self

    def __next__(self) -> _T:
        return self._native.__next__()  # type: ignore[no-any-return]

    def next_page(self) -> Optional[List[_T]]:
        """The next page of items (never empty), or ``None`` at the end."""
        return self._native.next_page()  # type: ignore[no-any-return]


class AsyncListIterator(AsyncIterator[_T]):
    """A lazily paged list for ``async for``: one page is awaited at a time and its items are
    handed out from here, so iterating costs one await of native work per page."""

    __slots__ = ("_native", "_items")

    def __init__(self, native: _ext.Paginator) -> None:
        self._native = native
        self._items: Deque[Any] = deque()

    def __aiter__(self) -> AsyncListIterator[_T]:
        return self

    async def __anext__(self) -> _T:
        if not self._items:
            page = await self._native.next_page_async()
            if page is None:
                raise StopAsyncIteration
            self._items.extend(page)
        return self._items.popleft()  # type: ignore[no-any-return]

    async def next_page(self) -> Optional[List[_T]]:
        """The next page of items (never empty), or ``None`` at the end."""
        if self._items:
            page = list(self._items)
            self._items.clear()
            return page
        return await self._native.next_page_async()  # type: ignore[no-any-return]
