"""The digiraati's texts: background material as sanitised HTML, and the
checks of what panellists, experts and facilitators type."""

from __future__ import annotations

import bleach
from markdown_it import MarkdownIt

from deliberation.errors import DomainError

MAX_BACKGROUND_CHARS = 50_000
MAX_ANSWER_CHARS = 5_000
MAX_SECTION_CHARS = 10_000
MAX_REASON_CHARS = 2_000
MAX_NAME_CHARS = 40

# Headings, lists and links, and the paragraphs and emphasis around them: nothing else.
_TAGS = frozenset({"h2", "h3", "h4", "p", "ul", "ol", "li", "a", "strong", "em", "br"})
_ATTRS = {"a": ["href", "title"]}
_PROTOCOLS = frozenset({"http", "https", "mailto"})
# "html": False makes any raw HTML a facilitator types plain text.
_markdown = MarkdownIt("commonmark", {"html": False}).disable("image")


def _demote_headings(html: str) -> str:
    # The page's own title is the h1; a "# Heading" in the material becomes an h2.
    for level in (5, 4, 3, 2, 1):
        html = html.replace(f"<h{level}>", f"<h{min(level + 1, 4)}>")
        html = html.replace(f"</h{level}>", f"</h{min(level + 1, 4)}>")
    return html


def render_background(text: str) -> tuple[str, str]:
    """The stored source and its safe HTML."""
    source = text.replace("\r\n", "\n").strip()
    if len(source) > MAX_BACKGROUND_CHARS:
        raise DomainError("background_too_long", limit=MAX_BACKGROUND_CHARS)
    html = _demote_headings(_markdown.render(source))
    cleaned: str = bleach.clean(html, tags=_TAGS, attributes=_ATTRS, protocols=_PROTOCOLS,
                                strip=True)
    return source, cleaned


def check_text(value: object, *, limit: int, empty_code: str, long_code: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise DomainError(empty_code)
    text = value.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "").strip()
    if len(text) > limit:
        raise DomainError(long_code, limit=limit, length=len(text))
    return text


def check_display_name(value: object) -> str:
    name = " ".join(str(value or "").split())
    if len(name) < 2:
        raise DomainError("display_name_invalid")
    if len(name) > MAX_NAME_CHARS:
        raise DomainError("display_name_invalid", limit=MAX_NAME_CHARS)
    return name
