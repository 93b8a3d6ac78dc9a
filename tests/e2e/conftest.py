"""Run the real `advocacy serve` as a subprocess on loopback."""
from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from tests.conftest import ROOT, create_postgres_database, drop_postgres_database, _postgres_reachable, IN_CI


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    process: subprocess.Popen
    url: str
    database_url: str
    log_path: Path
    env: dict[str, str] = field(default_factory=dict)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


async def wait_healthy(url: str, process: subprocess.Popen, log_path: Path, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    async with httpx.AsyncClient() as client:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"advocacy serve exited with {process.returncode}:\n{log_path.read_text()}")
            try:
                if (await client.get(f"{url}/healthz", timeout=1)).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            await asyncio.sleep(0.05)
    raise RuntimeError(f"advocacy serve did not become healthy:\n{log_path.read_text()}")


def start_process(env: dict[str, str], log_path: Path, *args: str) -> subprocess.Popen:
    full_env = {**os.environ, "PYTHONUNBUFFERED": "1", **env}
    return subprocess.Popen([sys.executable, "-m", "entry.cli", *args], cwd=ROOT, env=full_env,
                            stdout=log_path.open("wb"), stderr=subprocess.STDOUT)


@pytest.fixture
async def serve(tmp_path):
    """`await serve(env={...}, backend="sqlite"|"postgresql")` starts a server; all are stopped after."""
    servers: list[Server] = []
    databases: list[str] = []

    async def start(env: dict[str, str] | None = None, backend: str = "sqlite",
                    database_url: str | None = None) -> Server:
        if database_url is None:
            if backend == "postgresql":
                if not await _postgres_reachable():
                    if IN_CI:
                        pytest.fail("PostgreSQL is not reachable (CI=true: not skipping)")
                    pytest.skip("PostgreSQL not reachable")
                database_url = await create_postgres_database()
                databases.append(database_url)
            else:
                database_url = f"sqlite:///{tmp_path / f'serve{len(servers)}.db'}"
        port = free_port()
        log_path = tmp_path / f"serve{len(servers)}.log"
        full_env = {"DATABASE_URL": database_url, "HOST": "127.0.0.1", "PORT": str(port),
                    "ADVOCACY_DEMO": "false", "LOG_LEVEL": "INFO", **(env or {})}
        process = start_process(full_env, log_path, "serve")
        server = Server(process, f"http://127.0.0.1:{port}", database_url, log_path, full_env)
        servers.append(server)
        await wait_healthy(server.url, process, log_path)
        return server

    yield start
    for server in servers:
        server.stop()
    for url in databases:
        await drop_postgres_database(url)
