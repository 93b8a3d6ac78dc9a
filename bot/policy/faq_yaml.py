"""Reading and writing the policy FAQ YAML format (see bot/demo/faq.yaml for an example).

Loading is all-or-nothing: any problem raises FaqFormatError naming the line, and no
entry is returned, so an admin's half-broken import never replaces a working store.
"""
from __future__ import annotations

import re
from typing import Any, Iterable, Mapping

import yaml

from bot.policy.entries import PolicyEntry, Verdict, verdict_name

ENTRY_FIELDS = ("id", "question", "answer", "question_pl", "answer_pl", "tags", "verdict")
_REQUIRED = ("id", "question", "answer")
_KEY_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


class FaqFormatError(ValueError):
    """The FAQ text is not valid; `line` is 1-based (None when the whole document is at fault)."""

    def __init__(self, message: str, line: int | None = None):
        self.line = line
        self.detail = message
        super().__init__(f"line {line}: {message}" if line else message)


def load_faq(text: str) -> list[PolicyEntry]:
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        raise _syntax_error(exc) from None
    if root is None:
        raise FaqFormatError("the file is empty; expected a top-level `entries:` list")
    if not isinstance(root, yaml.MappingNode):
        raise FaqFormatError("expected a mapping with a top-level `entries:` list", _line(root))
    top = _mapping(root)
    if "entries" not in top:
        raise FaqFormatError("missing the top-level `entries:` list", _line(root))
    seq = top["entries"][1]
    if not isinstance(seq, yaml.SequenceNode):
        raise FaqFormatError("`entries` must be a list", _line(seq))

    entries: list[PolicyEntry] = []
    first_line: dict[str, int] = {}
    for node in seq.value:
        entry = _entry(node)
        if entry.key in first_line:
            raise FaqFormatError(
                f"duplicate id {entry.key!r} (first used on line {first_line[entry.key]})", _line(node))
        first_line[entry.key] = _line(node)
        entries.append(entry)
    return entries


def _syntax_error(exc: yaml.YAMLError) -> FaqFormatError:
    problem_mark = getattr(exc, "problem_mark", None)
    context_mark = getattr(exc, "context_mark", None)
    mark = problem_mark or context_mark
    message = f"invalid YAML: {getattr(exc, 'problem', None) or exc}"
    context = getattr(exc, "context", None)
    if context and context_mark and problem_mark and context_mark.line != problem_mark.line:
        message += f" ({context} that starts on line {context_mark.line + 1})"
    return FaqFormatError(message, mark.line + 1 if mark else None)


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _mapping(node: yaml.MappingNode) -> dict[str, tuple[yaml.Node, yaml.Node]]:
    out: dict[str, tuple[yaml.Node, yaml.Node]] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            raise FaqFormatError("mapping keys must be plain words", _line(key_node))
        if key_node.value in out:
            raise FaqFormatError(f"key {key_node.value!r} appears twice", _line(key_node))
        out[key_node.value] = (key_node, value_node)
    return out


def _entry(node: yaml.Node) -> PolicyEntry:
    line = _line(node)
    if not isinstance(node, yaml.MappingNode):
        raise FaqFormatError("each entry must be a mapping with id, question and answer", line)
    fields = _mapping(node)
    unknown = [k for k in fields if k not in ENTRY_FIELDS]
    if unknown:
        raise FaqFormatError(
            f"entry has unknown field {unknown[0]!r} (known: {', '.join(ENTRY_FIELDS)})",
            _line(fields[unknown[0]][0]))
    for name in _REQUIRED:
        if name not in fields or _text(fields[name][1]) is None:
            where = f"entry {_text(fields['id'][1])!r}" if "id" in fields and name != "id" else "entry"
            raise FaqFormatError(f"{where} is missing `{name}`", line)

    key = _text(fields["id"][1])
    assert key is not None
    if not _KEY_RE.match(key):
        raise FaqFormatError(f"id {key!r} must be a slug (letters, digits, '-', '_', '.')",
                             _line(fields["id"][1]))
    verdict_node = fields.get("verdict", (None, None))[1]
    try:
        verdict = Verdict.parse(_text(verdict_node) if verdict_node is not None else None)
    except ValueError:
        raise FaqFormatError(
            f"entry {key!r} has unknown verdict {_text(verdict_node)!r} "
            "(use allowed, not_allowed, ask_first or n_a)", _line(fields["verdict"][1])) from None
    return PolicyEntry(
        key=key,
        question=_required_text(fields, "question"),
        answer=_required_text(fields, "answer"),
        question_pl=_optional_text(fields, "question_pl"),
        answer_pl=_optional_text(fields, "answer_pl"),
        tags=_tags(fields.get("tags", (None, None))[1]),
        verdict=verdict,
    )


def _text(node: yaml.Node | None) -> str | None:
    if node is None:
        return None
    if not isinstance(node, yaml.ScalarNode):
        raise FaqFormatError("expected text here, found a list or mapping", _line(node))
    if node.tag == "tag:yaml.org,2002:null":
        return None
    value = node.value.strip()
    return value or None


def _required_text(fields: Mapping[str, tuple[yaml.Node, yaml.Node]], name: str) -> str:
    value = _text(fields[name][1])
    assert value is not None
    return value


def _optional_text(fields: Mapping[str, tuple[yaml.Node, yaml.Node]], name: str) -> str | None:
    return _text(fields[name][1]) if name in fields else None


def _tags(node: yaml.Node | None) -> tuple[str, ...]:
    if node is None or (isinstance(node, yaml.ScalarNode) and _text(node) is None):
        return ()
    if isinstance(node, yaml.ScalarNode):
        return tuple(t.strip() for t in node.value.split(",") if t.strip())
    if not isinstance(node, yaml.SequenceNode):
        raise FaqFormatError("`tags` must be a list of words", _line(node))
    tags = []
    for item in node.value:
        value = _text(item)
        if value:
            tags.append(value)
    return tuple(tags)


class _FlowList(list[str]):
    pass


class _Dumper(yaml.SafeDumper):
    pass


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = ">" if len(value) > 90 and "\n" not in value and value == value.strip() else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(
    _FlowList, lambda d, v: d.represent_sequence("tag:yaml.org,2002:seq", v, flow_style=True))


def entry_to_dict(entry: PolicyEntry) -> dict[str, Any]:
    data: dict[str, Any] = {"id": entry.key, "question": entry.question, "answer": entry.answer}
    if entry.question_pl:
        data["question_pl"] = entry.question_pl
    if entry.answer_pl:
        data["answer_pl"] = entry.answer_pl
    data["tags"] = _FlowList(entry.tags)
    data["verdict"] = verdict_name(entry.verdict)
    return data


def dump_faq(entries: Iterable[PolicyEntry], meta: Mapping[str, Any] | None = None) -> str:
    """Write entries in the faq.yaml format.

    load_faq(dump_faq(x)) == x, except that texts come back without leading or trailing
    whitespace (the loader strips it).
    """
    doc: dict[str, Any] = {}
    if meta:
        doc["meta"] = dict(meta)
    doc["entries"] = [entry_to_dict(e) for e in entries]
    return yaml.dump(doc, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100,
                     default_flow_style=False)
