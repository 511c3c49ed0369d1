"""Resident text: validation limits and the one way it becomes HTML.

Posts are plain text. Rendering escapes everything, keeps line breaks and turns
http(s) URLs into links; bleach then cleans the result with a tiny allow-list,
so nothing a resident writes can become markup of its own.
"""

from __future__ import annotations

import html

import bleach
from bleach.linkifier import Linker

from deliberation.errors import DomainError

MAX_POST_CHARS = 2000
MAX_TITLE_CHARS = 200

_ALLOWED_TAGS = frozenset({"a", "br"})
_ALLOWED_ATTRS = {"a": ["href", "rel", "target"]}
_PROTOCOLS = frozenset({"http", "https"})


def _link_attrs(attrs: dict[tuple[str | None, str], str], new: bool = False) -> dict[tuple[str | None, str], str] | None:
    href = attrs.get((None, "href"), "")
    if not href.startswith(("http://", "https://")):
        return None  # not a web link (bleach makes "www." addresses http ones)
    attrs[(None, "rel")] = "nofollow noopener noreferrer ugc"
    attrs[(None, "target")] = "_blank"
    return attrs


_linker = Linker(callbacks=[_link_attrs], parse_email=False)


def check_post_body(body: object) -> str:
    """The body to store, or DomainError("post_empty" | "post_too_long")."""
    if not isinstance(body, str):
        raise DomainError("post_empty")
    # Normalise line endings; keep inner whitespace as the author wrote it.
    text = body.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "").strip()
    if not text:
        raise DomainError("post_empty")
    if len(text) > MAX_POST_CHARS:
        raise DomainError("post_too_long", limit=MAX_POST_CHARS, length=len(text))
    return text


def render_body(text: str) -> str:
    """Safe HTML for a post body."""
    linked = _linker.linkify(html.escape(text, quote=True))
    cleaned: str = bleach.clean(
        linked, tags=_ALLOWED_TAGS, attributes=_ALLOWED_ATTRS, protocols=_PROTOCOLS, strip=True
    )
    return cleaned.replace("\n", "<br>\n")
