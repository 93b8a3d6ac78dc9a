"""`make lint` type-checks every package of ours strictly, none exempted."""
import re
import tomllib

from tests.conftest import ROOT

PACKAGES = {path.parent.name for path in ROOT.glob("*/__init__.py")} - {"tests", "bench"}
BARE_IGNORE = re.compile(r"#\s*type:\s*ignore(?!\[)")


def mypy_settings() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]


def test_every_package_is_type_checked_strictly():
    """`strict` refuses untyped and partly typed definitions, calls into them, and returned Any."""
    settings = mypy_settings()
    assert set(settings["files"]) == PACKAGES
    assert settings["strict"] is True


def test_only_libraries_without_types_have_an_override_and_nothing_ignores_errors():
    for override in mypy_settings().get("overrides", []):
        modules = override["module"] if isinstance(override["module"], list) else [override["module"]]
        assert not {module.partition(".")[0] for module in modules} & PACKAGES, modules
        assert set(override) == {"module", "ignore_missing_imports"}, override


def test_every_type_ignore_names_its_error_code():
    bare = [f"{path.relative_to(ROOT)}:{number}"
            for package in sorted(PACKAGES) for path in sorted((ROOT / package).rglob("*.py"))
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
            if BARE_IGNORE.search(line)]
    assert bare == []
