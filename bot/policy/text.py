"""Folding, tokenizing and stop words for English and Polish chat text."""
from __future__ import annotations

import re
import unicodedata

_FOLD_EXTRA = str.maketrans({"ł": "l", "Ł": "l", "ß": "ss", "’": "'", "‘": "'"})
_WORD_RE = re.compile(r"[^\W_]+", re.UNICODE)

MAX_QUESTION_CHARS = 1200
"""Longer questions are cut to their head and tail: a pasted draft rarely matters past this,
and the question itself is usually at the start or at the end."""


def fold(text: str) -> str:
    """Lower-case and drop diacritics, so that "Zdjęcie" and "zdjecie" compare equal."""
    text = text.translate(_FOLD_EXTRA).lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    """Word tokens in their original case and spelling ("Nordlight's" -> "Nordlight", "s")."""
    return _WORD_RE.findall(text)


def truncate(text: str, limit: int = MAX_QUESTION_CHARS) -> str:
    if len(text) <= limit:
        return text
    head = text[: limit * 2 // 3].rsplit(None, 1)[0]
    tail = text[-(limit // 3):].split(None, 1)[-1]
    return f"{head} {tail}"


# Function words and the generic "may I / can I" wording of policy questions. They carry
# no topic, so they neither rank entries nor count as evidence that a topic was matched.
STOP_EN = frozenset("""
a an the i me my mine myself we our ours us you your yours it its they them their he she his her
him this that these those there here is am are was were be been being do does did done doing have
has had having can could may might must shall should will would to of in on at for with from by
about as into onto over under if or and but so than then what which who whom whose when where why
how not no yes ok okay fine allowed allow permitted permit please just also any some all s t re ve
ll d m im dont don doesn didn isn aren wasn can cannot cant couldn shouldn won wouldn let lets go
going get got want wanna gonna like really very too would anyone someone something thing things
one still even ever i'm hey hi hello thanks thank u ur pls plz need needs make makes made put
know think want like look expected way stuff anything everything maybe probably actually say
said tell help other others another own
""".split())

STOP_PL = frozenset(fold(w) for w in """
a i o u w we z ze że na do od po za przy przez dla bez pod nad czy się to ten ta te tego tej tym
tych jest są być był była było byli będzie mogę może można móc mogą musi muszę mój moja moje
mojego mojej moim swój swoja swoje swojego swojej swoim nasz nasza nasze naszego naszej naszym
naszych jak co kto gdzie kiedy jaki jaka jakie który która które którego nie tak ale albo lub oraz
też także tylko mi mnie ja ty on ona ono oni one my wy go jej ich im mu sobie jako tu tam no ok
okej okay hej cześć dzięki proszę chcę chciałbym chciałabym chciałem mam masz ma mieć coś ktoś
jakiś jakaś ile bo więc żeby aby by bym już jeszcze wolno okej spoko dobrze zostać został
została zostało zostały zostali zostanie wyglądać zrobić robić chcieć wiedzieć potrzebować
musieć coś ktoś chyba bardzo trochę super mega fajny jeden jedna jedno inny inna inne
innych innym pomocy
""".split())

STOPWORDS = STOP_EN | STOP_PL
