"""A fresh clone passes on its own: the suite never needs ../shared (the sample policy set beside the
repository) to be collected or run; the tests that measure the engine on it skip with one reason."""
import shutil
import subprocess
import sys

from tests.conftest import ROOT


def copy_of_the_repository(tmp_path):
    """The repository's files as a clone has them (tracked and new, nothing ignored), alone in a folder."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, check=True).stdout.decode().split("\0")
    copy = tmp_path / "alone" / "advocacy-bot"
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy / name)
    assert not (copy.parent / "shared").exists()
    return copy


def pytest_in(copy, *args):
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args], cwd=copy,
                          capture_output=True, text=True, timeout=300)


def test_a_copy_with_nothing_beside_it_collects_every_test_without_error(tmp_path):
    copy = copy_of_the_repository(tmp_path)
    here = pytest_in(ROOT, "--collect-only", "-q", "tests")
    alone = pytest_in(copy, "--collect-only", "-q", "tests")
    assert alone.returncode == 0, alone.stdout[-3000:] + alone.stderr[-3000:]
    collected = [line for line in alone.stdout.splitlines() if "::" in line]
    assert collected == [line for line in here.stdout.splitlines() if "::" in line]  # the same tests, none lost


def test_tests_on_the_shared_sample_skip_with_one_reason_line_when_it_is_absent(tmp_path):
    copy = copy_of_the_repository(tmp_path)
    result = pytest_in(copy, "-q", "-rs", "tests/policy/test_engine_dev_set.py", "tests/policy/test_faq_yaml.py")
    assert result.returncode == 0, result.stdout[-3000:]
    reasons = [line for line in result.stdout.splitlines() if line.startswith("SKIPPED")]
    assert len(reasons) == 1 and "shared" in reasons[0] and "absent" in reasons[0], reasons
    assert " passed" in result.stdout.splitlines()[-1]
