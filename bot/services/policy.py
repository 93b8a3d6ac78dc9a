"""Policy questions answered from the FAQ store, escalated to a person when the bot is unsure."""
from __future__ import annotations

import asyncio
import re
import threading
import unicodedata
from collections.abc import Callable, Sequence
from functools import lru_cache, partial
from typing import TypeVar, TypeVarTuple, Unpack

from bot.commands import choice_of, choice_words, usage
from bot.errors import UserFacingError
from bot.i18n import Translator
from bot.models import Button, Card, Message, TextInput
from bot.permissions import Right, can
from bot.policy.check import check_draft
from bot.policy.decision import Outcome
from bot.policy.engine import PolicyAnswer, PolicyIndex
from bot.policy.entries import PolicyEntry, Verdict, entries_by_key
from bot.policy.language import detect_language
from bot.policy.faq_yaml import FaqFormatError, dump_faq, load_faq
from bot.registry import ADMIN, CHANNEL, DIRECT, MEMBER, MissingArgs, action, command
from bot.services.turn import Context, Turn
from bot.unit_of_work import UnitsOfWork
from storage.models import FaqEntry, Member, PolicyAsk
from storage.repositories import FaqVersion, Repositories

T = TypeVar("T")
Ts = TypeVarTuple("Ts")

VERDICT_WORDS = {
    "allowed": Verdict.ALLOWED, "ok": Verdict.ALLOWED, "dozwolone": Verdict.ALLOWED,
    "not allowed": Verdict.NOT_ALLOWED, "not_allowed": Verdict.NOT_ALLOWED, "forbidden": Verdict.NOT_ALLOWED,
    "niedozwolone": Verdict.NOT_ALLOWED,
    "ask first": Verdict.ASK_FIRST, "ask_first": Verdict.ASK_FIRST, "zapytaj najpierw": Verdict.ASK_FIRST,
}
VERDICT_ICONS = {Verdict.ALLOWED: "✅", Verdict.NOT_ALLOWED: "⛔", Verdict.ASK_FIRST: "⚠️"}
MAX_QUESTION = 3000
EDITABLE = ("question", "answer", "question_pl", "answer_pl", "verdict", "tags")
TERM_KINDS = {"denylist": "deny_name", "codename": "code_name"}
TERM_DONE = {"add": "terms.added", "remove": "terms.removed"}


def to_policy_entry(row: FaqEntry) -> PolicyEntry:
    return PolicyEntry(
        key=row.key, question=row.question, answer=row.answer, question_pl=row.question_pl,
        answer_pl=row.answer_pl, tags=tuple(row.tags or ()),
        verdict=Verdict(row.verdict) if row.verdict else None,
    )


class PolicyBook:
    """The FAQ index, rebuilt only when the store changed."""

    def __init__(self) -> None:
        self._version: FaqVersion | None = None
        self._index: PolicyIndex | None = None

    async def index(self, ctx: Context) -> PolicyIndex:
        return await self._load(ctx.repo)

    async def _load(self, repo: Repositories) -> PolicyIndex:
        version = await repo.faq.version()
        if self._index is None or version != self._version:
            entries = [to_policy_entry(row) for row in await repo.faq.all()]
            self._index = await in_daemon_thread(PolicyIndex.build, entries)
            self._version = version
        return self._index

    async def warm(self, units: UnitsOfWork) -> None:
        """Build the index (and load the lemma dictionaries, a few seconds) before anyone asks."""
        async with units() as uow:
            if await uow.repo.faq.count():
                await self._load(uow.repo)


def in_daemon_thread(fn: Callable[[Unpack[Ts]], T], *args: Unpack[Ts]) -> asyncio.Future[T]:
    """Run CPU-bound `fn` off the event loop in a thread that never holds up process exit."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[T] = loop.create_future()

    def settle(outcome: Callable[[], None]) -> None:
        if not future.done():
            outcome()

    def run() -> None:
        outcome: Callable[[], None]
        try:
            result = fn(*args)
        except BaseException as exc:  # handed to the awaiting coroutine
            outcome = partial(future.set_exception, exc)
        else:
            outcome = partial(future.set_result, result)
        try:
            loop.call_soon_threadsafe(settle, outcome)
        except RuntimeError:
            pass  # the loop closed while we worked: nobody is waiting any more

    threading.Thread(target=run, name="policy-index", daemon=True).start()
    return future


def slugify(text: str, limit: int = 60) -> str:
    ascii_text = unicodedata.normalize("NFKD", text.replace("ł", "l").replace("Ł", "L"))
    ascii_text = ascii_text.encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:limit].rstrip("-") or "entry"


def parse_verdict(raw: str | None) -> Verdict | None:
    if raw is None or not raw.strip() or raw.strip().lower() in ("none", "n/a", "n_a", "-"):
        return None
    found = VERDICT_WORDS.get(" ".join(raw.lower().split()))
    if found is None:
        raise UserFacingError("faq.bad_verdict", got=raw[:40])
    return found


def is_policy_owner(ctx: Context, member: Member) -> bool:
    if ctx.settings.policy_owners:
        return ctx.settings.listed("policy_owners", member.platform, member.platform_user_id) or member.role == "admin"
    return can(member.role, Right.MANAGE_FAQ)


async def policy_owners(ctx: Context, platform: str) -> list[Member]:
    """`ADVOCACY_POLICY_OWNERS` who use this platform, else its admins."""
    owners = []
    for member in await ctx.repo.members.on_platform(platform):
        if ctx.settings.listed("policy_owners", platform, member.platform_user_id):
            owners.append(member)
    return owners or [m for m in await ctx.repo.members.admins() if m.platform == platform]


@lru_cache(maxsize=1024)
def written_language(text: str) -> str:
    return detect_language(text)


def answer_in(entry: PolicyEntry, lang: str) -> tuple[str, str]:
    """The answer for a reader of `lang`, and the language it is written in: the Polish text for
    Polish, else the main text, which an admin may have written in either language."""
    if lang == "pl" and entry.answer_pl:
        return entry.answer_pl.strip(), "pl"
    text = entry.answer.strip()
    return text, "pl" if entry.answer_pl and entry.answer_pl.strip() == text else written_language(text)


def verdict_line(t: Translator, verdict: Verdict | None) -> str:
    if verdict is None:
        return f"ℹ️ *{t('verdict.guidance')}*\n"
    return f"{VERDICT_ICONS[verdict]} *{t('verdict.' + verdict.value)}*\n"


def answer_message(t: Translator, ask_id: int, entry: PolicyEntry) -> Message:
    """An entry's answer with its verdict and the FAQ question it answers, so that a mismatch
    shows at once."""
    feedback = Card(title=t("ask.helpful"), key=f"ask:{ask_id}", buttons=(
        Button(t("button.helpful"), verb="helpful", target=str(ask_id)),
        Button(t("button.unhelpful"), verb="unhelpful", target=str(ask_id)),
    ))
    text, written_in = answer_in(entry, t.lang)
    if written_in != t.lang:
        text = t("ask.only_polish" if written_in == "pl" else "ask.only_english") + "\n" + text
    body = f"{verdict_line(t, entry.verdict)}_{t('ask.answers', question=entry.question_for(t.lang))}_\n{text}"
    return Message(body, cards=(feedback,), private=True, thread=True)


def clarify_message(t: Translator, ask_id: int, choices: Sequence[PolicyEntry]) -> Message:
    buttons = tuple(Button(entry.question_for(t.lang), verb="policy_pick", target=f"{ask_id}:{entry.key}")
                    for entry in choices)
    card = Card(title=t("ask.pick_one"), key=f"clarify:{ask_id}",
                buttons=buttons + (Button(t("button.none_of_these"), verb="policy_none", target=str(ask_id)),))
    return Message(t("ask.did_you_mean"), cards=(card,), private=True, thread=True)


async def ask(turn: Turn, question: str) -> Message:
    question = (question or "").strip()
    if not question:
        raise UserFacingError("error.missing_args", usage=usage("ask", turn.t.lang))
    if len(question) > MAX_QUESTION:
        raise UserFacingError("error.too_long", limit=MAX_QUESTION, length=len(question))
    index = await turn.policy.index(turn)
    answer = index.answer(question)
    t = Translator(answer.language)
    entry = answer.entry
    record = await turn.repo.policy.record(
        member_id=turn.member.id, address=turn.here().to_dict(), question=question, language=t.lang,
        entry_key=entry.key if entry else None, verdict=answer.verdict.value if answer.verdict else None,
        confidence=answer.confidence, escalated=answer.abstained, created_at=turn.now)
    if answer.outcome is Outcome.CLARIFY:
        return clarify_message(t, record.id, answer.choices)
    if entry is None:
        return await hand_over(turn, record, t, closest(index, answer))
    return answer_message(t, record.id, entry)


def closest(index: PolicyIndex, answer: PolicyAnswer) -> list[PolicyEntry]:
    by_key = entries_by_key(index.entries)
    return [by_key[c.key] for c in answer.candidates[:3] if c.key in by_key]


async def hand_over(turn: Turn, record: PolicyAsk, t: Translator, closest: Sequence[PolicyEntry]) -> Message:
    """Escalate the question (once) and tell the asker, in the question's language."""
    owners = [o for o in await policy_owners(turn, turn.platform) if o.reachable]
    for owner in owners:
        await turn.outbox.post(turn.dm(owner), escalation_message(turn.translator_for(owner), turn.member,
                                                                  record, closest),
                               key=f"escalation:{record.id}:{owner.id}", subject="escalation")
    return Message(t("ask.escalated" if owners else "ask.not_sure"), private=True, thread=True)


def escalation_message(t: Translator, asker: Member, record: PolicyAsk, closest: Sequence[PolicyEntry]) -> Message:
    """The policy owner's card: the question, the closest FAQ questions in the owner's language, and
    an answer field. Saving as FAQ is offered once there is an answer."""
    questions = "\n".join(f"• {entry.question_for(t.lang)}" for entry in closest) or "—"
    card = Card(
        title=t("escalation.title", name=asker.display_name),
        body=record.question,
        fields=((t("escalation.closest"), questions),),
        inputs=(TextInput("answer", t("input.answer")),),
        buttons=(Button(t("button.answer"), verb="answer_question", target=str(record.id), style="primary"),),
        footer=t("escalation.how", id=record.id),
        key=f"escalation:{record.id}",
    )
    return Message(t("escalation.text"), cards=(card,))


async def _open_ask(turn: Turn, target: str) -> PolicyAsk:
    if not is_policy_owner(turn, turn.member):
        raise UserFacingError("error.not_allowed")
    try:
        ask_id = int(str(target).lstrip("#"))
    except ValueError:
        raise UserFacingError("escalation.unknown", id=str(target)[:20]) from None
    record = await turn.repo.policy.get(ask_id, lock=True)
    if record is None:
        raise UserFacingError("escalation.unknown", id=ask_id)
    return record


async def answer_question(turn: Turn, target: str, text: str | None) -> Message:
    record = await _open_ask(turn, target)
    text = (text or "").strip()
    if not text:
        raise UserFacingError("escalation.empty_answer")
    if record.answer:
        return Message(turn.t("escalation.already", id=record.id), private=True)
    record.answer, record.answered_by, record.answered_at = text, turn.member.id, turn.now
    asker = await turn.repo.members.get(record.member_id)
    if asker is not None:
        # To the asker alone, in their direct chat: never where the question was asked, which may be
        # a channel; the question is quoted only there.
        t = Translator(record.language)
        await turn.outbox.post(turn.dm(asker), Message(
            t("escalation.reply", name=asker.display_name, question=record.question[:300],
              answer=text, by=turn.member.display_name), private=True),
            key=f"escalation-answer:{record.id}", subject="escalation-answer")
    await turn.audit("policy.answer", f"ask:{record.id}")
    save = Card(title=turn.t("escalation.save_offer"), buttons=(
        Button(turn.t("button.save_faq"), verb="save_faq", target=str(record.id)),))
    return Message(turn.t("escalation.sent", name=asker.display_name if asker else "?"), cards=(save,),
                   private=True)


async def save_as_faq(turn: Turn, target: str, verdict: str | None = None, answer: str | None = None) -> Message:
    record = await _open_ask(turn, target)
    parsed = parse_verdict(verdict)
    if answer and not record.answer:
        await answer_question(turn, target, answer)
    if not record.answer:
        raise UserFacingError("escalation.answer_first", id=record.id)
    key = f"asked-{record.id}"
    if await turn.repo.faq.by_key(key) is not None:
        return Message(turn.t("faq.already_saved", key=key), private=True)
    polish = record.language == "pl"
    await turn.repo.faq.add(key=key, question=record.question, answer=record.answer,
                            question_pl=record.question if polish else None,
                            answer_pl=record.answer if polish else None, tags=[],
                            verdict=parsed.value if parsed else None, created_at=turn.now, updated_at=turn.now)
    await turn.audit("faq.add", f"faq:{key}", source=f"ask:{record.id}")
    return Message(turn.t("faq.added", key=key), private=True)


async def feedback(turn: Turn, target: str, helpful: bool) -> Message:
    try:
        record = await turn.repo.policy.get(int(target))
    except ValueError:
        record = None
    if record is not None and record.member_id == turn.member.id:
        record.helpful = helpful
    return Message(turn.t("ask.thanks_feedback" if helpful else "ask.sorry_feedback"), private=True)


async def check(turn: Turn, draft: str) -> Message:
    draft = (draft or "").strip()
    if not draft:
        raise UserFacingError("error.missing_args", usage=usage("check", turn.t.lang))
    terms = await turn.repo.policy.terms()
    findings = check_draft(draft, deny_names=[x.term for x in terms if x.kind == "deny_name"],
                           code_names=[x.term for x in terms if x.kind == "code_name"])
    if not findings:
        return Message(turn.t("check.clean"), private=True)
    lines = [turn.t("check.flagged")]
    lines += [f"• {turn.t('check.' + f.reason_key)}: “{f.excerpt}”" for f in findings]
    lines.append(turn.t("check.what_now"))
    return Message("\n".join(lines), private=True)


async def terms_list(turn: Turn) -> Message:
    terms = await turn.repo.policy.terms()
    if not terms:
        return Message(turn.t("terms.empty"), private=True)
    kinds = {"deny_name": turn.t("terms.deny"), "code_name": turn.t("terms.code")}
    return Message("\n".join(f"• {kinds[x.kind]}: {x.term}" for x in terms), private=True)


async def terms_change(turn: Turn, command: str, term: str) -> Message:
    family, _, action = command.partition(".")
    kind, term = TERM_KINDS[family], " ".join(term.split())[:120]
    if action == "add":
        await turn.repo.policy.add_term(kind, term, turn.now)
    elif not await turn.repo.policy.remove_term(kind, term):
        raise UserFacingError("terms.unknown", term=term)
    await turn.audit(f"terms.{action}", kind)
    return Message(turn.t(TERM_DONE[action], term=term), private=True)


async def faq_add(turn: Turn, question: str, answer: str, verdict: str | None) -> Message:
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


async def faq_edit(turn: Turn, target: str, field: str, value: str) -> Message:
    entry = await turn.repo.faq.by_key(target.strip())
    if entry is None:
        raise UserFacingError("faq.unknown", key=target[:80])
    shown, field = field, choice_of("faq.edit", field) or field
    if field not in EDITABLE:
        raise UserFacingError("faq.bad_field", field=shown[:30],
                              fields=", ".join(choice_words("faq.edit", name, turn.t.lang) for name in EDITABLE))
    if field == "verdict":
        parsed = parse_verdict(value)
        entry.verdict = parsed.value if parsed else None
    elif field == "tags":
        entry.tags = [tag.strip().lstrip("#") for tag in value.replace(",", " ").split() if tag.strip()]
    else:
        setattr(entry, field, value)
    entry.updated_at = turn.now
    await turn.audit("faq.edit", f"faq:{entry.key}", field=field)
    return Message(turn.t("faq.edited", key=entry.key, field=shown), private=True)


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
    entry = await turn.repo.faq.by_key(target.strip())
    if entry is None:
        raise UserFacingError("faq.unknown", key=target[:80])
    await turn.repo.faq.remove(entry)
    await turn.audit("faq.remove", f"faq:{entry.key}")
    return Message(turn.t("faq.removed", key=entry.key), private=True)


async def import_entries(ctx: Context, text: str, actor_id: int | None) -> tuple[int, int]:
    """Add or replace entries by id from faq.yaml-format text, all or nothing."""
    try:
        entries = load_faq(text)
    except FaqFormatError as exc:
        raise UserFacingError("faq.bad_yaml", error=str(exc)[:300]) from None
    added = updated = 0
    for entry in entries:
        values = {"question": entry.question, "answer": entry.answer, "question_pl": entry.question_pl,
                  "answer_pl": entry.answer_pl, "tags": list(entry.tags),
                  "verdict": entry.verdict.value if entry.verdict else None, "updated_at": ctx.now}
        row = await ctx.repo.faq.by_key(entry.key)
        if row is None:
            await ctx.repo.faq.add(key=entry.key, created_at=ctx.now, **values)
            added += 1
        else:
            for name, value in values.items():
                setattr(row, name, value)
            updated += 1
    await ctx.repo.audit.record(actor_id, "faq.import", None, {"added": added, "updated": updated}, ctx.now)
    return added, updated


async def export_entries(ctx: Context) -> str:
    return dump_faq([to_policy_entry(row) for row in await ctx.repo.faq.all()])


async def faq_import(turn: Turn, text: str) -> Message:
    added, updated = await import_entries(turn, text, turn.member.id)
    return Message(turn.t("faq.imported", added=added, updated=updated), private=True)


async def faq_export(turn: Turn) -> Message:
    await turn.audit("faq.export", None)
    return Message(f"```\n{await export_entries(turn)}```", private=True)


def parse_faq_add(rest: str) -> dict[str, str | None]:
    """`<question> | <answer> [| verdict]`."""
    parts = [p.strip() for p in rest.split("|")]
    if len(parts) < 2 or not parts[0] or not parts[1]:
        raise MissingArgs()
    return {"question": parts[0], "answer": parts[1], "verdict": parts[2] if len(parts) > 2 and parts[2] else None}


def parse_faq_edit(rest: str) -> dict[str, str]:
    """`<id> <field> = <text>` (the `=` may be left out)."""
    key, _, change = rest.partition(" ")
    field, _, value = change.strip().partition(" ")
    value = value.strip()
    if value.startswith("="):
        value = value[1:].strip()
    if not key or not field or not value:
        raise MissingArgs()
    return {"target": key, "field": field.lower().rstrip("="), "value": value}


async def _own_ask(turn: Turn, ask_id: str) -> PolicyAsk:
    try:
        record = await turn.repo.policy.get(int(ask_id), lock=True)
    except ValueError:
        record = None
    if record is None or record.member_id != turn.member.id:
        raise UserFacingError("ask.not_yours")
    return record


@action("policy_pick")
async def pick_choice(turn: Turn, target: str) -> Message:
    """A "did you mean…" choice: that entry's answer. Clicking again gives the same answer; the
    first choice is the one recorded."""
    ask_id, _, key = str(target).partition(":")
    record = await _own_ask(turn, ask_id)
    t = Translator(record.language)
    row = await turn.repo.faq.by_key(key)
    if row is None:
        return Message(t("ask.entry_gone"), private=True, thread=True)
    if record.entry_key is None and not record.escalated:
        record.entry_key, record.verdict = row.key, row.verdict
    return answer_message(t, record.id, to_policy_entry(row))


@action("policy_none")
async def none_of_these(turn: Turn, target: str) -> Message:
    """"None of these": hand the question over, as when the bot is not sure at all. The outbox keys
    the escalations, so a second click reaches nobody twice."""
    record = await _own_ask(turn, target)
    t = Translator(record.language)
    record.escalated = True
    index = await turn.policy.index(turn)
    return await hand_over(turn, record, t, closest(index, index.answer(record.question, record.language)))


@action("answer_question")
async def answer_from_card(turn: Turn, target: str, answer: str | None) -> Message:
    return await answer_question(turn, target, answer)


# The commands and buttons above, declared in the order help lists them.
command("ask", "<question...>", help=MEMBER, menu=(DIRECT, CHANNEL), hint=True)(ask)
command("check", "<draft...>", help=MEMBER, menu=(DIRECT,))(check)
command("faq.add", parse_faq_add, right=Right.MANAGE_FAQ, help=ADMIN)(faq_add)
command("faq.edit", parse_faq_edit, right=Right.MANAGE_FAQ, help=ADMIN)(faq_edit)
command("faq.list", help=ADMIN)(faq_list)
command("faq.remove", "<target...>", right=Right.MANAGE_FAQ, help=ADMIN)(faq_remove)
command("faq.import", "<text...>", right=Right.MANAGE_FAQ, help=ADMIN)(faq_import)
command("faq.export", right=Right.MANAGE_FAQ, help=ADMIN)(faq_export)
command("answer", "<target:id> <text...>", help=ADMIN)(answer_question)
command("faq.save", "<target:id> [verdict...]", help=ADMIN)(save_as_faq)
command("denylist.list", right=Right.MANAGE_FAQ, help=ADMIN)(terms_list)
for _name in ("denylist.add", "codename.add", "denylist.remove", "codename.remove"):
    command(_name, "<term...>", right=Right.MANAGE_FAQ, help=None if _name.endswith("remove") else ADMIN,
            command=_name)(terms_change)
action("helpful", helpful=True)(feedback)
action("unhelpful", helpful=False)(feedback)
action("save_faq")(save_as_faq)
