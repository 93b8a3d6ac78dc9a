"""Policy questions answered from the FAQ store kept by admins."""
from __future__ import annotations

import re
import unicodedata

from bot.errors import UserFacingError
from bot.models import Message
from bot.permissions import Right
from bot.policy.entries import PolicyEntry, Verdict
from bot.services.turn import Turn
from storage.models import FaqEntry

VERDICT_WORDS = {
    "allowed": Verdict.ALLOWED, "ok": Verdict.ALLOWED, "yes": Verdict.ALLOWED, "dozwolone": Verdict.ALLOWED,
    "tak": Verdict.ALLOWED,
    "not allowed": Verdict.NOT_ALLOWED, "not_allowed": Verdict.NOT_ALLOWED, "no": Verdict.NOT_ALLOWED,
    "niedozwolone": Verdict.NOT_ALLOWED, "nie": Verdict.NOT_ALLOWED, "forbidden": Verdict.NOT_ALLOWED,
    "ask first": Verdict.ASK_FIRST, "ask_first": Verdict.ASK_FIRST, "zapytaj najpierw": Verdict.ASK_FIRST,
    "zapytaj": Verdict.ASK_FIRST,
}
VERDICT_ICONS = {Verdict.ALLOWED: "✅", Verdict.NOT_ALLOWED: "⛔", Verdict.ASK_FIRST: "⚠️"}
MAX_QUESTION = 3000


def to_policy_entry(row: FaqEntry) -> PolicyEntry:
    return PolicyEntry(
        key=row.key, question=row.question, answer=row.answer, question_pl=row.question_pl,
        answer_pl=row.answer_pl, tags=tuple(row.tags or ()),
        verdict=Verdict(row.verdict) if row.verdict else None,
    )


class PolicyBook:
    """The FAQ index, rebuilt only when the store changed."""

    def __init__(self) -> None:
        self._version: object = None
        self._index = None

    async def index(self, turn: Turn):
        from bot.policy.engine import PolicyIndex

        version = await turn.repo.faq.version()
        if self._index is None or version != self._version:
            entries = [to_policy_entry(row) for row in await turn.repo.faq.all()]
            self._index = PolicyIndex.build(entries)
            self._version = version
        return self._index


def slugify(text: str, limit: int = 60) -> str:
    ascii_text = unicodedata.normalize("NFKD", text.replace("ł", "l").replace("Ł", "L"))
    ascii_text = ascii_text.encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:limit].rstrip("-") or "entry"


def parse_verdict(raw: str | None) -> Verdict | None:
    if raw is None or not raw.strip():
        return None
    found = VERDICT_WORDS.get(" ".join(raw.lower().split()))
    if found is None:
        raise UserFacingError("faq.bad_verdict", got=raw[:40])
    return found


async def ask(turn: Turn, question: str) -> Message:
    question = (question or "").strip()
    if not question:
        raise UserFacingError("error.missing_args", usage="ask <question>")
    if len(question) > MAX_QUESTION:
        raise UserFacingError("error.too_long", limit=MAX_QUESTION, length=len(question))
    book: PolicyBook = turn.policy  # type: ignore[assignment]
    index = await book.index(turn)
    answer = index.answer(question, lang=None)
    if answer.entry is None:
        return Message(turn.t("ask.not_sure"), private=True, thread=True)
    entry = answer.entry
    lang = answer.language if answer.language in ("en", "pl") else turn.t.lang
    text = (entry.answer_pl if lang == "pl" and entry.answer_pl else entry.answer).strip()
    verdict = answer.verdict or entry.verdict
    head = f"{VERDICT_ICONS[verdict]} {turn.t('verdict.' + verdict.value)}\n" if verdict in VERDICT_ICONS else ""
    return Message(f"{head}{text}\n_{turn.t('ask.source', key=entry.key)}_", private=True, thread=True)


async def faq_add(turn: Turn, question: str, answer: str, verdict: str | None) -> Message:
    turn.require(Right.MANAGE_FAQ)
    parsed = parse_verdict(verdict)
    base = slugify(question)
    key, n = base, 2
    while await turn.repo.faq.by_key(key) is not None:
        key, n = f"{base}-{n}", n + 1
    await turn.repo.faq.add(key=key, question=question.strip(), answer=answer.strip(), question_pl=None,
                            answer_pl=None, tags=[], verdict=parsed.value if parsed else None,
                            created_at=turn.now, updated_at=turn.now)
    await turn.audit("faq.add", f"faq:{key}", verdict=parsed.value if parsed else None)
    return Message(turn.t("faq.added", key=key), private=True)


async def faq_list(turn: Turn) -> Message:
    entries = await turn.repo.faq.all()
    if not entries:
        return Message(turn.t("faq.empty"), private=True)
    lines = [turn.t.n("faq.list_header", len(entries))]
    for row in entries:
        icon = VERDICT_ICONS.get(Verdict(row.verdict), "ℹ️") if row.verdict else "ℹ️"
        question = row.question_pl if turn.t.lang == "pl" and row.question_pl else row.question
        lines.append(f"{icon} `{row.key}` {question}")
    return Message("\n".join(lines), private=True)


async def faq_remove(turn: Turn, target: str) -> Message:
    turn.require(Right.MANAGE_FAQ)
    entry = await turn.repo.faq.by_key(target.strip())
    if entry is None:
        raise UserFacingError("faq.unknown", key=target[:80])
    await turn.repo.faq.remove(entry)
    await turn.audit("faq.remove", f"faq:{entry.key}")
    return Message(turn.t("faq.removed", key=entry.key), private=True)
