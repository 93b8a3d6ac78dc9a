"""`advocacy serve` as a person runs it: health, configuration errors, shutdown."""
import subprocess
import sys

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from tests.conftest import POSTGRES_URL, ROOT


async def test_healthz_answers_with_json_when_the_database_answers(serve):
    server = await serve()
    async with httpx.AsyncClient() as client:
        response = await client.get(f"{server.url}/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


async def test_healthz_is_503_when_the_database_is_gone(serve):
    server = await serve(backend="postgresql")
    name = server.database_url.rsplit("/", 1)[1]
    engine = create_async_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    async with engine.connect() as conn:
        await conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    await engine.dispose()
    async with httpx.AsyncClient() as client:
        response = await client.get(f"{server.url}/healthz", timeout=10)
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


async def test_serve_migrates_and_loads_the_demo_on_first_start_only(serve, tmp_path):
    server = await serve(env={"ADVOCACY_DEMO": "true"})
    server.stop()
    again = await serve(database_url=server.database_url, env={"ADVOCACY_DEMO": "true"})
    assert "loaded the demo library" in server.log()
    assert "loaded the demo library" not in again.log()


def test_a_bad_setting_stops_start_up_naming_the_variable():
    result = subprocess.run([sys.executable, "-m", "entry.cli", "serve"], cwd=ROOT, capture_output=True,
                            text=True, env={"PATH": "/usr/bin:/bin", "ADVOCACY_TIMEZONE": "Nowhere/Land"},
                            timeout=60)
    assert result.returncode == 2
    assert "ADVOCACY_TIMEZONE" in result.stderr and "IANA time zone" in result.stderr
