"""Every catalog key the code asks for exists in both catalogs, and every call gives the
placeholders its string needs (a missing one is a KeyError the user sees as "something went wrong")."""
from __future__ import annotations

import ast
from pathlib import Path

from bot.services.policy import TERM_DONE
from bot.i18n import catalog, placeholders
from bot.policy.check import REASON_KEYS
from bot.policy.entries import Verdict

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [p for folder in ("bot", "handlers", "scheduler") for p in sorted((ROOT / folder).rglob("*.py"))]

# Calls that take a catalog key, and the position of the key among their arguments.
KEY_ARGUMENT = {"t": 0, "n": 0, "UserFacingError": 0, "notify_admins": 3, "field": 1}
KEY_KEYWORD = {"notify_admins": "text_key"}

# Keys computed at run time, by the source text of the expression that computes them.
DYNAMIC = {
    "'verdict.' + verdict.value": [f"verdict.{v.value}" for v in Verdict],
    "'check.' + f.reason_key": [f"check.{reason}" for reason in REASON_KEYS.values()],
    "TERM_DONE[action]": list(TERM_DONE.values()),
}
# Variables that hold a key handed over from elsewhere (checked where the key is written).
PASSED_ON = {"exc.key", "key", "text_key", "message", "label", "title_key"}


def _placeholders(value) -> set[str]:
    texts = value.values() if isinstance(value, dict) else [value]
    return {name for text in texts for name in placeholders(text)}


def _callee(node: ast.Call) -> str | None:
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return None


def _assigned_strings(function: ast.AST, name: str) -> list[str] | None:
    """String literals assigned to `name` in the enclosing function (`key = "a" if x else "b"`)."""
    found = []
    for node in ast.walk(function):
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
            found += [c.value for c in ast.walk(node.value) if isinstance(c, ast.Constant)
                      and isinstance(c.value, str)]
    return found or None


def _key_uses():
    """(where, keys, keyword names or None when **params are passed on, is a plural call)."""
    for path in SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        functions = [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or _callee(node) not in KEY_ARGUMENT:
                continue
            name = _callee(node)
            position = KEY_ARGUMENT[name]
            arg = node.args[position] if len(node.args) > position else None
            for kw in node.keywords:
                if name in KEY_KEYWORD and kw.arg == KEY_KEYWORD[name]:
                    arg = kw.value
            if arg is None:
                continue
            where = f"{path.relative_to(ROOT)}:{node.lineno}"
            source = ast.unparse(arg)
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                keys = [arg.value]
            elif isinstance(arg, ast.IfExp):
                keys = [c.value for c in (arg.body, arg.orelse) if isinstance(c, ast.Constant)]
            elif source in DYNAMIC:
                keys = DYNAMIC[source]
            elif isinstance(arg, ast.Name) and (assigned := next(
                    (found for f in functions if f.lineno <= node.lineno <= f.end_lineno
                     and (found := _assigned_strings(f, arg.id))), None)):
                keys = assigned
            elif source in PASSED_ON:
                continue
            else:
                raise AssertionError(f"{where}: a computed catalog key `{source}`: add it to DYNAMIC")
            if name in ("t", "n", "field") and not all("." in key for key in keys):
                continue  # a call that only shares the name (dataclasses.field, a local t)
            spread = name == "field" or any(kw.arg is None for kw in node.keywords)
            given = None if spread else {kw.arg for kw in node.keywords} | ({"n"} if name == "n" else set())
            yield where, keys, given


def test_every_key_the_code_uses_is_in_both_catalogs_with_its_placeholders():
    en, pl = catalog("en"), catalog("pl")
    uses = list(_key_uses())
    assert len(uses) > 150, "the scan found too few calls: has the calling convention changed?"
    problems = []
    for where, keys, given in uses:
        for key in keys:
            for lang, strings in (("en", en), ("pl", pl)):
                if key not in strings:
                    problems.append(f"{where}: `{key}` is missing from {lang}.yaml")
            if key in en and given is not None and not _placeholders(en[key]) <= given:
                problems.append(f"{where}: `{key}` needs {sorted(_placeholders(en[key]) - given)}")
    assert problems == []


def test_the_scan_sees_a_typo():
    """The scan itself can fail: `terms.removeed` was once built with an f-string."""
    tree = ast.parse('turn.t(f"terms.{action}ed", term=term)')
    call = next(n for n in ast.walk(tree) if isinstance(n, ast.Call))
    assert ast.unparse(call.args[0]) not in DYNAMIC
