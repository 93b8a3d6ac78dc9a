"""A database setting that cannot work stops start-up with one line naming DATABASE_URL and the cause.

The real `advocacy serve`, `advocacy db upgrade` and `advocacy shell` run as subprocesses, as a
person would start them; none may print a traceback or the password in the URL.
"""
from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import IN_CI, ROOT, _postgres_reachable
from tests.e2e.conftest import free_port

PASSWORD = "hUnTeR2-sEcReT"
SERVER = "127.0.0.1:5432"


def closed_port() -> int:
    """A loopback port nothing listens on (it was free a moment ago)."""
    return free_port()


CASES = {
    "refused": (lambda tmp: f"postgresql://postgres:{PASSWORD}@127.0.0.1:{closed_port()}/test",
                "Connect call failed"),
    "missing database": (lambda tmp: f"postgresql://postgres:{PASSWORD}@{SERVER}/no_such_database_x7",
                         'database "no_such_database_x7" does not exist'),
    "missing role": (lambda tmp: f"postgresql://no_such_role_x7:{PASSWORD}@{SERVER}/test",
                     'role "no_such_role_x7" does not exist'),
    "unwritable sqlite": (lambda tmp: f"sqlite:///{_blocked(tmp)}/bot.db", "unable to open database file"),
    "mysql": (lambda tmp: f"mysql://app:{PASSWORD}@db.example.com/advocacy", "sqlite:///"),
}
NEEDS_SERVER = {"missing database", "missing role"}


def _blocked(tmp) -> str:
    """A folder path that cannot be created: its parent is a file (even root cannot write there)."""
    (tmp / "a-file").write_text("x")
    return str(tmp / "a-file" / "sub")


def run(command: list[str], database_url: str) -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/bin:/bin", "DATABASE_URL": database_url, "HOST": "127.0.0.1",
           "PORT": str(free_port()), "ADVOCACY_DEMO": "false"}
    return subprocess.run([sys.executable, "-m", "entry.cli", *command], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=90, stdin=subprocess.DEVNULL)


async def _url_for(case: str, tmp_path) -> str:
    if case in NEEDS_SERVER and not await _postgres_reachable():
        if IN_CI:
            pytest.fail("PostgreSQL is not reachable (CI=true: not skipping)")
        pytest.skip("PostgreSQL not reachable")
    return CASES[case][0](tmp_path)


def assert_one_clear_line(result: subprocess.CompletedProcess, said: str) -> None:
    output = result.stdout + result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert result.returncode != 0, output
    assert "Traceback" not in output, output
    assert PASSWORD not in output, output
    assert len(lines) == 1, output
    assert lines[0].startswith("advocacy: configuration error: DATABASE_URL: "), lines[0]
    assert said in lines[0], lines[0]
    assert "expected expected" not in lines[0]


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("command", [["serve"], ["db", "upgrade"]], ids=" ".join)
async def test_a_database_that_cannot_be_used_stops_start_up_with_one_line(case, command, tmp_path):
    url = await _url_for(case, tmp_path)
    assert_one_clear_line(run(command, url), CASES[case][1])


@pytest.mark.parametrize("case", ["refused", "unwritable sqlite"])
async def test_the_shell_says_the_same_one_line(case, tmp_path):
    url = await _url_for(case, tmp_path)
    assert_one_clear_line(run(["shell"], url), CASES[case][1])
