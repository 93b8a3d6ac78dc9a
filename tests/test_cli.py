"""`advocacy faq import|export` and `advocacy db` from a terminal."""
import subprocess
import sys

from tests.conftest import ROOT


def advocacy(tmp_path, *args):
    env = {"PATH": "/usr/bin:/bin", "DATABASE_URL": f"sqlite:///{tmp_path}/cli.db", "LOG_LEVEL": "WARNING"}
    return subprocess.run([sys.executable, "-m", "entry.cli", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)


def test_faq_import_then_export_round_trips(tmp_path, shared_policy):
    imported = advocacy(tmp_path, "faq", "import", str(shared_policy / "faq.yaml"))
    assert imported.returncode == 0, imported.stderr
    assert "40 added, 0 updated" in imported.stdout
    again = advocacy(tmp_path, "faq", "import", str(shared_policy / "faq.yaml"))
    assert "0 added, 40 updated" in again.stdout
    exported = advocacy(tmp_path, "faq", "export")
    assert exported.stdout.count("\n- id: ") == 40 and "question_pl:" in exported.stdout


def test_a_malformed_faq_file_names_the_line_and_imports_nothing(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("entries:\n- id: ok\n  question: Q?\n  answer: A\n- id: broken\n  question: [oops\n")
    result = advocacy(tmp_path, "faq", "import", str(bad))
    assert result.returncode == 1 and "line" in result.stderr
    assert advocacy(tmp_path, "faq", "export").stdout.strip() in ("entries: []", "")


def test_db_upgrade_reports_the_revision(tmp_path):
    result = advocacy(tmp_path, "db", "upgrade")
    assert result.returncode == 0 and "schema at revision" in result.stdout


def test_serve_on_an_unwritable_sqlite_file_names_database_url_instead_of_a_traceback(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "DATABASE_URL": f"sqlite:///{tmp_path}/missing-folder/bot.db",
           "LOG_LEVEL": "WARNING", "PORT": "39171"}
    result = subprocess.run([sys.executable, "-m", "entry.cli", "serve"], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 2
    assert "DATABASE_URL" in result.stderr and "Traceback" not in result.stderr
