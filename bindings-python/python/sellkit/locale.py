"""Locales of the Marktplaats platforms: the entity's own ``locale`` wins, then the user's
preference, then the host default (``nl-NL`` on marktplaats, ``nl-BE`` on 2dehands, ``fr-BE`` on
2ememain). A locale the platform does not allow is refused (the rule lives in the Rust core)."""

from __future__ import annotations

from typing import Optional

from sellkit import _native

__all__ = ["resolve"]


def resolve(platform: str, entity_locale: Optional[str] = None, user_locale: Optional[str] = None) -> str:
    """The locale to use on ``platform``.

    Raises:
        InvalidInputError: a locale the platform does not allow (the message names the allowed ones).
    """
    return _native.resolve_locale(platform, entity_locale, user_locale)
