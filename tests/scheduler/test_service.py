"""The scheduler inside serve: its jobs, and one leader per database."""
from zoneinfo import ZoneInfo

from scheduler.leader import Leadership
from scheduler.service import SchedulerService


async def test_the_leader_schedules_every_job_in_the_programs_time_zone(app):
    service = SchedulerService(app)
    try:
        assert await service.start() is True
        runs = service.next_runs()
        assert set(runs) == {"weekly_digest", "library_check", "monthly_summary", "nudge_check", "housekeeping"}
        digest = runs["weekly_digest"].astimezone(ZoneInfo("Europe/Warsaw"))
        assert (digest.hour, digest.minute) == (9, 0)  # daily from Monday: a holiday moves it
        library = runs["library_check"].astimezone(ZoneInfo("Europe/Warsaw"))
        assert library.weekday() == 5
        monthly = runs["monthly_summary"].astimezone(ZoneInfo("Europe/Warsaw"))
        assert monthly.day <= 10 and monthly.hour == 9  # the job finds the first working day
        assert runs["nudge_check"].minute % 15 == 0
    finally:
        await service.stop()


async def test_only_one_process_leads_a_database(app):
    first, second = Leadership(app.db), Leadership(app.db)
    try:
        assert await first.try_acquire() is True
        assert await second.try_acquire() is False
        await first.release()
        assert await second.try_acquire() is True
    finally:
        await first.release()
        await second.release()


async def test_a_second_sqlite_process_refuses_schedules_with_a_clear_message(app, caplog):
    if not app.db.is_sqlite:
        first, second = SchedulerService(app), SchedulerService(app)
        try:
            assert await first.start() is True
            assert await second.start() is False  # stands by on PostgreSQL
        finally:
            await second.stop()
            await first.stop()
        return
    first, second = SchedulerService(app), SchedulerService(app)
    try:
        assert await first.start() is True
        assert await second.start() is False
        assert "SQLite supports one process" in caplog.text
    finally:
        await second.stop()
        await first.stop()
