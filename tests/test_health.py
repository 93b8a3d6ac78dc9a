"""Readiness sees a database it cannot write; liveness says only that the process is up."""
import asyncio

import httpx

from tests.e2e.conftest import free_port, serve, start_process  # noqa: F401  (serve: a fixture)


async def test_readiness_and_liveness_answer_200_with_a_working_database(serve):  # noqa: F811
    server = await serve()
    async with httpx.AsyncClient(timeout=15) as client:
        for path in ("/healthz", "/readyz"):
            response = await client.get(f"{server.url}{path}")
            assert response.status_code == 200 and response.json()["database"] == "ok"
        assert (await client.get(f"{server.url}/livez")).json() == {"status": "alive"}


async def test_a_read_only_sqlite_file_makes_readiness_503_while_liveness_stays_200(serve, tmp_path):  # noqa: F811
    first = await serve()  # creates and migrates the file
    first.stop()
    path = first.database_url.removeprefix("sqlite:///")
    port = free_port()
    env = {"DATABASE_URL": f"sqlite:///file:{path}?mode=ro&uri=true", "HOST": "127.0.0.1", "PORT": str(port),
           "ADVOCACY_DEMO": "false", "LOG_LEVEL": "INFO"}
    process = start_process(env, tmp_path / "read-only.log", "serve")
    try:
        async with httpx.AsyncClient(timeout=15) as client:
            for _ in range(300):
                try:
                    live = await client.get(f"http://127.0.0.1:{port}/livez")
                    break
                except httpx.HTTPError:
                    assert process.poll() is None, (tmp_path / "read-only.log").read_text()
                    await asyncio.sleep(0.05)
            assert live.status_code == 200
            for path in ("/healthz", "/readyz"):
                ready = await client.get(f"http://127.0.0.1:{port}{path}")
                assert ready.status_code == 503
                assert ready.json()["database"] == "read-only" and "readonly" in ready.json()["cause"]
    finally:
        process.terminate()
        process.wait(timeout=10)
