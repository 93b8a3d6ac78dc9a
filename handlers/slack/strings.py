"""The few words only the Slack surfaces need (modal titles and labels), in English and Polish.
Everything a member reads about the program itself comes from the core's catalog."""
from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "add.title": "Add content",
        "add.submit": "Add",
        "add.url": "Link (URL)",
        "add.url_hint": "https://example.com/blog/…",
        "add.title_field": "Title",
        "add.summary": "Summary",
        "add.captions": "Suggested captions (one per line)",
        "add.tags": "Tags (separated by spaces)",
        "add.kind": "Kind",
        "add.kind_value": "Value: gives the reader something",
        "add.kind_promotional": "Promotional",
        "link.title": "Link to your post",
        "link.submit": "Save link",
        "close": "Close",
        "skip": "Skip",
        "done.title": "Advocacy",
        "home.notice": "Last action",
        "more": "…and {n} more.",
    },
    "pl": {
        "add.title": "Dodaj treść",
        "add.submit": "Dodaj",
        "add.url": "Link (URL)",
        "add.url_hint": "https://example.com/blog/…",
        "add.title_field": "Tytuł",
        "add.summary": "Streszczenie",
        "add.captions": "Proponowane opisy (jeden w linii)",
        "add.tags": "Tagi (oddzielone spacjami)",
        "add.kind": "Rodzaj",
        "add.kind_value": "Wartościowa: daje coś czytelnikowi",
        "add.kind_promotional": "Promocyjna",
        "link.title": "Link do Twojego posta",
        "link.submit": "Zapisz link",
        "close": "Zamknij",
        "skip": "Pomiń",
        "done.title": "Advocacy",
        "home.notice": "Ostatnia akcja",
        "more": "…i {n} więcej.",
    },
}


def s(lang: str, key: str, **params: object) -> str:
    table = STRINGS.get(lang) or STRINGS["en"]
    value = table.get(key) or STRINGS["en"][key]
    return value.format(**params) if params else value
