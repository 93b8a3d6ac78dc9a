"""Social media policy answers ("can I post about X?") and draft checks, in English and Polish.

Pure Python: no database, no chat platform. Typical use::

    index = PolicyIndex.build(load_faq(text))      # once per FAQ version
    answer = index.answer("czy moge wrzucic zdjecie z biura?")
    if answer.abstained:                           # escalate to a person
        ...
    else:
        reply(answer.text)                         # in answer.language

    findings = check_draft(draft, deny_names=customers, code_names=projects)
"""
from bot.policy.check import REASON_KEYS, Finding, check_draft
from bot.policy.engine import Candidate, PolicyAnswer, PolicyIndex, Settings
from bot.policy.entries import PolicyEntry, Verdict, stricter, strictness
from bot.policy.faq_yaml import FaqFormatError, dump_faq, load_faq

__all__ = [
    "Candidate", "FaqFormatError", "Finding", "PolicyAnswer", "PolicyEntry", "PolicyIndex",
    "REASON_KEYS", "Settings", "Verdict", "check_draft", "dump_faq", "load_faq", "stricter",
    "strictness",
]
