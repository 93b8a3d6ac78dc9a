"""The product's own demo library and policy FAQ, loaded once on first start."""
from __future__ import annotations

from pathlib import Path

import yaml

from bot.clock import Clock
from bot.policy.faq_yaml import load_faq
from bot.urls import normalize_url
from storage.db import Database
from storage.repositories import Repositories

HERE = Path(__file__).parent
MARKER = "demo.load"


async def load_demo_if_first_start(db: Database, clock: Clock) -> bool:
    """Load the demo data unless the database ever held content, FAQ entries or the demo before."""
    async with db.transaction() as session:
        repo = Repositories(session)
        if await repo.contents.any() or await repo.faq.count() or any(
                e.action == MARKER for e in await repo.audit.recent(500)):
            return False
        now = clock.now()
        items = yaml.safe_load((HERE / "content.yaml").read_text(encoding="utf-8"))["content"]
        for offset, item in enumerate(reversed(items)):
            await repo.contents.add(
                url=normalize_url(item["url"]), title=item["title"], summary=item.get("summary", ""),
                captions=item.get("captions", []), tags=item.get("tags", []), kind=item.get("kind", "value"),
                language=item.get("language"), status="approved", author_id=None,
                created_at=now.replace(microsecond=offset), expires_at=None,
            )
        entries = load_faq((HERE / "faq.yaml").read_text(encoding="utf-8"))
        for entry in entries:
            await repo.faq.add(key=entry.key, question=entry.question, answer=entry.answer,
                               question_pl=entry.question_pl, answer_pl=entry.answer_pl,
                               tags=list(entry.tags), verdict=entry.verdict.value if entry.verdict else None,
                               created_at=now, updated_at=now)
        await repo.audit.record(None, MARKER, None, {"content": len(items), "faq": len(entries)}, now)
    return True
