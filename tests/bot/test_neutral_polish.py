"""Polish that speaks to everyone alike: no message assumes the reader's (or the bot's) gender.

Polish marks gender in past and conditional verb forms of the first and second person
("udostępniłem/udostępniłam", "opuściłeś/opuściłaś", "mógłbyś/mogłabyś") and in a few
predicative adjectives ("jesteś pewien", "bądź pierwszy"). Every Polish text the product ships
is scanned for them; write "Zapisano udostępnienie", "Dziękujemy za udostępnienie", "Nie
otrzymasz już przypomnień" instead. A word with such an ending that is not a verb form
("zespołem", "wysyłam") goes into ALLOWED, by name.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

from bot.i18n import catalog
from tests.bot.test_i18n import _texts

ROOT = Path(__file__).resolve().parents[2]

# -ł- + person ending: past (-łem, -łeś), conditional (-łbym, -łabyś), feminine plural (-łyście).
GENDERED_ENDINGS = ("łem", "łam", "łeś", "łaś", "łbym", "łabym", "łbyś", "łabyś", "łyście", "łyśmy")
GENDERED_PHRASES = re.compile(
    r"\b(jestem|jesteś|bądź|będziesz|czujesz się)\s+(pewien|pewna|pewny|gotowy|gotowa|zainteresowany|"
    r"zainteresowana|pierwszy|pierwsza|sam|sama|widoczny|widoczna|ukryty|ukryta|zadowolony|zadowolona|"
    r"zapisany|zapisana|zalogowany|zalogowana)\b|\b(sam|sama)\s+(decydujesz|wybierasz|zdecydujesz)\b",
    re.IGNORECASE)
# Words with those endings that are not gendered verb forms: nouns in the instrumental, and
# present-tense verbs whose stem ends in -ł-.
ALLOWED = {"zespołem", "działem", "tytułem", "artykułem", "udziałem", "materiałem", "modułem", "kanałem",
           "hasłem", "wysyłam", "przysyłam", "działam"}


def gendered_forms(text: str) -> list[str]:
    words = [w for w in re.findall(r"\w+", text) if w.lower().endswith(GENDERED_ENDINGS)
             and w.lower() not in ALLOWED]
    return words + [m.group(0) for m in GENDERED_PHRASES.finditer(text)]


def polish_texts() -> list[tuple[str, str]]:
    """(where, text) for every Polish text shipped to users."""
    found = [(f"pl.yaml {key}", text) for key, value in catalog("pl").items() for text in _texts(value)]
    demo = ROOT / "bot" / "demo"
    for item in yaml.safe_load((demo / "content.yaml").read_text(encoding="utf-8"))["content"]:
        if item.get("language") == "pl":
            found += [(f"demo content {item['url']}", text)
                      for text in [item["title"], item.get("summary", ""), *item.get("captions", [])]]
    for entry in yaml.safe_load((demo / "faq.yaml").read_text(encoding="utf-8"))["entries"]:
        found += [(f"demo faq {entry['id']}.{field}", entry[field])
                  for field in ("question_pl", "answer_pl") if entry.get(field)]
    for path in sorted((ROOT / "docs" / "pl").rglob("*.md")):
        found.append((str(path.relative_to(ROOT)), path.read_text(encoding="utf-8")))
    for path in sorted((ROOT / "manifests").rglob("pl.json")):
        found += [(f"{path.relative_to(ROOT)} {key}", text)
                  for key, text in json.loads(path.read_text(encoding="utf-8")).items() if isinstance(text, str)]
    return found


def test_the_scan_finds_gendered_forms_and_passes_neutral_ones():
    assert gendered_forms("Udostępniłem post.") == ["Udostępniłem"]
    assert gendered_forms("Opuściłeś program, a ona opuściłaś?") == ["Opuściłeś", "opuściłaś"]
    assert gendered_forms("Czy mógłbyś albo mogłabyś? Byłeś tam? Zrobiłaś to.") == [
        "mógłbyś", "mogłabyś", "Byłeś", "Zrobiłaś"]
    assert gendered_forms("Bądź pierwszy! Jesteś pewna?") == ["Bądź pierwszy", "Jesteś pewna"]
    assert gendered_forms("Zapisano udostępnienie. Dziękujemy! Nie otrzymasz już przypomnień.") == []
    assert gendered_forms("Wysyłam link razem z zespołem, pod tytułem „Zima”.") == []


def test_polish_shipped_to_users_has_no_gendered_first_or_second_person_forms():
    texts = polish_texts()
    assert any(where.startswith("demo faq") for where, _ in texts)  # the scan reaches beyond the catalog
    found = {where: forms for where, text in texts if (forms := gendered_forms(text))}
    assert found == {}, "rewrite these neutrally (or add a word that is no verb form to ALLOWED)"
