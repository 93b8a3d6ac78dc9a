"""Demo content is for trying the bot out: loaded where no chat platform is on, retired where one is."""
from dataclasses import replace

from entry.app import load_demo
from bot.demo import _items, load_demo_if_first_start
from scheduler import jobs
from storage.repositories import Repositories
from tests.fakes.gateway import RecordingGateway


async def test_demo_items_left_by_a_try_out_are_retired_once_a_chat_platform_is_on(app, clock, gateway):
    assert await load_demo_if_first_start(app.units)  # `advocacy shell` on the same database, earlier
    await load_demo(app)  # serve, with a platform on (the test gateway)
    async with app.db.transaction() as session:
        repo = Repositories(session)
        assert await repo.contents.latest() == [] and await repo.faq.count() == 0
    assert await jobs.weekly_digest(app) == 0 and gateway.posts() == []


async def test_without_a_chat_platform_the_demo_is_loaded_once(app):
    app.gateways.clear()
    app.settings = replace(app.settings, load_demo=True)  # ADVOCACY_DEMO's default
    await load_demo(app)
    await load_demo(app)
    async with app.db.transaction() as session:
        repo = Repositories(session)
        assert len(await repo.contents.latest(100)) == len(_items()) and await repo.faq.count() > 10
    app.add_gateway(RecordingGateway())
