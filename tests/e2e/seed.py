"""A program with many joined members, written straight to a database (for fan-out tests and bench/)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from bot.clock import week_start
from storage.db import Database
from storage.migrate import upgrade
from storage.models import Content, Member, Suggestion
from storage.repositories import Repositories


async def seed_program(url: str, *, members: int, contents: int = 3, suggested: bool = True,
                       platform: str = "slack", channel: str = "C_GENERAL",
                       zones: tuple[str, ...] = ("Europe/Warsaw", "America/New_York")) -> list[str]:
    """Joined members U00001…, content, and (if `suggested`) this week's suggestions. Returns user ids."""
    db = Database(url)
    await upgrade(db)
    now = datetime.now(timezone.utc)
    users = [f"U{n:05d}" for n in range(1, members + 1)]
    async with db.transaction() as session:
        await Repositories(session).program.record_first_start(now - timedelta(days=30))  # a program running a while
        session.add_all(Member(platform=platform, platform_user_id=user, display_name=f"Member {user}",
                               timezone=zones[i % len(zones)], locale="pl-PL" if i % 2 else "en-US",
                               role="ambassador", opted_in=True, visible_on_leaderboard=True, reachable=True,
                               nudges_stopped=False, joined_at=now, created_at=now)
                        for i, user in enumerate(users))
        items = [Content(url=f"https://example.com/story-{n}", title=f"Story {n}", summary="A good read.",
                         captions=[f"Worth reading: story {n}"], tags=["demo"], kind="value", language="en",
                         status="approved", author_id=None, created_at=now, expires_at=None)
                 for n in range(contents)]
        session.add_all(items)
        await session.flush()
        if suggested:
            week = week_start(now, ZoneInfo("Europe/Warsaw"))
            session.add_all(Suggestion(content_id=c.id, platform=platform, channel_id=channel, week_start=week,
                                       message_ref=None, created_at=now) for c in items)
    await db.dispose()
    return users
