"""The product's own demo library and policy FAQ: for trying the bot out where no chat platform is
configured (`advocacy shell`, or `advocacy serve` with none switched on). Loaded once; never where
a chat platform is on, and what an earlier try-out left is retired there, so no schedule posts it."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from bot.policy.entries import PolicyEntry
from bot.policy.faq_yaml import load_faq
from bot.unit_of_work import UnitOfWork, UnitsOfWork
from bot.urls import normalize_url
from storage.models import ContentStatus

HERE = Path(__file__).parent
MARKER = "demo.load"
RETIRED = "demo.retire"


def _items() -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = yaml.safe_load((HERE / "content.yaml").read_text(encoding="utf-8"))["content"]
    return items


def _entries() -> list[PolicyEntry]:
    return load_faq((HERE / "faq.yaml").read_text(encoding="utf-8"))


async def load_demo_if_first_start(units: UnitsOfWork) -> bool:
    """Load the demo data unless the database ever held content, FAQ entries or the demo before."""
    return await units.run(_load_unless_used)


async def _load_unless_used(uow: UnitOfWork) -> bool:
    repo = uow.repo
    if await repo.contents.any() or await repo.faq.count() or any(
            e.action == MARKER for e in await repo.audit.recent(500)):
        return False
    now = uow.now
    items = _items()
    for offset, item in enumerate(reversed(items)):
        await repo.contents.add(
            url=normalize_url(item["url"]), title=item["title"], summary=item.get("summary", ""),
            captions=item.get("captions", []), tags=item.get("tags", []), kind=item.get("kind", "value"),
            language=item.get("language"), status=ContentStatus.APPROVED, author_id=None,
            created_at=now.replace(microsecond=offset), expires_at=None,
        )
    entries = _entries()
    for entry in entries:
        await repo.faq.add(key=entry.key, question=entry.question, answer=entry.answer,
                           question_pl=entry.question_pl, answer_pl=entry.answer_pl,
                           tags=list(entry.tags), verdict=entry.verdict.value if entry.verdict else None,
                           created_at=now, updated_at=now)
    await repo.audit.record(None, MARKER, None, {"content": len(items), "faq": len(entries)}, now)
    return True


async def retire_demo(units: UnitsOfWork) -> tuple[int, int]:
    """A chat platform is on: demo items still in the library stop being offered (status `retired`)
    and unedited demo FAQ entries are removed. Returns (items, entries); (0, 0) when none are left."""
    return await units.run(_retire)


async def _retire(uow: UnitOfWork) -> tuple[int, int]:
    repo = uow.repo
    items = 0
    for item in _items():
        content = await repo.contents.by_url(normalize_url(item["url"]))
        if content is not None and content.author_id is None and content.status == ContentStatus.APPROVED:
            content.status = ContentStatus.RETIRED
            items += 1
    entries = 0
    for entry in _entries():
        row = await repo.faq.by_key(entry.key)
        if row is not None and row.updated_at == row.created_at and row.answer == entry.answer:
            await repo.faq.remove(row)
            entries += 1
    if items or entries:
        await repo.audit.record(None, RETIRED, None, {"content": items, "faq": entries}, uow.now)
    return items, entries
