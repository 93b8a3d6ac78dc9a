"""The content library: adding links and listing them."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

from bot.cards import suggestion_card
from bot.commands import usage
from bot.errors import UserFacingError
from bot.models import Message
from bot.permissions import Right
from bot.policy.language import detect_language
from bot.registry import ADMIN, CHANNEL, DIRECT, MEMBER, Args, action, command
from bot.services.turn import Turn
from bot.urls import normalize_url
from storage.models import ContentStatus

MAX_TITLE = 300
MAX_CAPTIONS = 5
PROMO_WORDS = ("promo", "promotional", "promocja")


def title_from_url(url: str) -> str:
    """A readable stand-in title (no request is made to the address a user typed)."""
    parts = urlsplit(url)
    slug = parts.path.rstrip("/").rsplit("/", 1)[-1]
    words = re.sub(r"\.[a-z0-9]{2,5}$", "", slug).replace("-", " ").replace("_", " ").strip()
    return (words[:1].upper() + words[1:]) if words else parts.hostname or url


def parse_add(rest: str) -> Args:
    """`<url> [title words] [#tag …] [promo]`; nothing at all opens the form where there is one."""
    if not rest:
        return {}
    url, *words = rest.split()
    tags: list[str] = []
    title: list[str] = []
    promotional = False
    for word in words:
        if word.startswith("#") and len(word) > 1:
            tags.append(word[1:].lower())
        elif word.lower() in PROMO_WORDS:
            promotional = True
        else:
            title.append(word)
    return {"url": url, "title": " ".join(title), "tags": tags, "promotional": promotional}


@command("add", parse_add, right=Right.MANAGE_CONTENT, help=ADMIN, menu=(CHANNEL,), hint=True)
async def add_content(turn: Turn, *, url: str | None = None, title: str = "", summary: str = "",
                      captions: list[str] | None = None, tags: list[str] | None = None,
                      promotional: bool = False, language: str | None = None) -> Message:
    if not url:
        raise UserFacingError("error.missing_args", usage=usage("add", turn.t.lang))
    normalized = normalize_url(url)
    existing = await turn.repo.contents.by_url(normalized)
    if existing is not None:
        raise UserFacingError("content.duplicate", id=existing.id, title=existing.title)
    title = (title or "").strip() or title_from_url(normalized)
    if len(title) > MAX_TITLE:
        raise UserFacingError("error.field_too_long", field=turn.t("field.title"), limit=MAX_TITLE)
    captions = [c.strip() for c in (captions or []) if c and c.strip()][:MAX_CAPTIONS]  # none: a template per card
    tags = sorted({tag.strip().lstrip("#").lower() for tag in (tags or []) if tag.strip().lstrip("#")})
    content = await turn.repo.contents.add(
        url=normalized, title=title, summary=(summary or "").strip(), captions=captions, tags=tags,
        kind="promotional" if promotional else "value",
        language=language or detect_language(" ".join([title, summary or "", *captions]), dictionaries=False),
        status=ContentStatus.APPROVED, author_id=turn.member.id, created_at=turn.now, expires_at=None,
    )
    await turn.audit("content.add", f"content:{content.id}", url=normalized, kind=content.kind)
    key = "content.added_promo" if promotional else "content.added"
    return Message(turn.t(key, id=content.id, title=title), private=True)


@command("list", help=MEMBER, menu=(DIRECT,))
async def list_content(turn: Turn) -> Message:
    items = await turn.repo.contents.latest(10)
    if not items:
        return Message(turn.t("content.empty"), private=True)
    await turn.repo.offers.record(turn.member.id, [c.id for c in items], "list", turn.now)
    cards = []
    for content in items:
        count = await turn.repo.shares.count_shared(content.id)
        cards.append(suggestion_card(turn.t, content, count))
    return Message(turn.t("content.list_header", n=len(items)), cards=tuple(cards), private=True)


@action("add_content", right=Right.MANAGE_CONTENT)
async def add_content_form(turn: Turn, url: str | None, title: str | None, summary: str | None,
                           captions: str | None, tags: str | None, kind: str | None) -> Message:
    """The add-content form, submitted."""
    return await add_content(
        turn, url=url, title=title or "", summary=summary or "",
        captions=[line for line in (captions or "").splitlines() if line.strip()],
        tags=[tag for tag in (tags or "").replace(",", " ").split() if tag], promotional=kind == "promotional")
