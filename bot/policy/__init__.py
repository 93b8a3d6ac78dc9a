"""Social media policy answers ("can I post about X?") and draft checks, in English and Polish.

Pure Python: no database, no chat platform. Typical use::

    index = PolicyIndex.build(load_faq(text))      # once per FAQ version
    answer = index.answer("czy moge wrzucic zdjecie z biura?")
    if answer.outcome is Outcome.ANSWER:
        reply(answer.text)                         # in answer.language
    elif answer.outcome is Outcome.CLARIFY:        # "did you mean…" answer.choices
        ...
    else:                                          # hand over to a person
        ...

    findings = check_draft(draft, deny_names=customers, code_names=projects)
"""
from bot.policy.check import REASON_KEYS, Finding, check_draft
from bot.policy.decision import Outcome
from bot.policy.engine import Candidate, PolicyAnswer, PolicyIndex
from bot.policy.entries import PolicyEntry, Verdict, stricter, strictness
from bot.policy.faq_yaml import FaqFormatError, dump_faq, load_faq
from bot.policy.settings import Settings

__all__ = [
    "Candidate", "FaqFormatError", "Finding", "Outcome", "PolicyAnswer", "PolicyEntry", "PolicyIndex",
    "REASON_KEYS", "Settings", "Verdict", "check_draft", "dump_faq", "load_faq", "stricter",
    "strictness",
]
