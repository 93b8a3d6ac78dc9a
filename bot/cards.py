"""Neutral cards for content, built once and rendered by every adapter.

A suggestion offers two clearly different steps: save it for later (a claim), and "I posted it"
(the share, the primary button). The field for the link to the member's post comes only after
sharing, on the link offer.
"""
from __future__ import annotations

from functools import lru_cache

from bot.i18n import LANGUAGES, Translator
from bot.models import Button, Card, TextInput
from bot.policy.language import detect_language
from bot.urls import linkedin_share_url
from storage.models import Content

POST_LINK_HINT = "https://www.linkedin.com/posts/…"

@lru_cache(maxsize=4096)
def caption_language(caption: str) -> str:
    return detect_language(caption, dictionaries=False)  # a card never waits for the lemma dictionaries


def is_default_caption(caption: str, title: str) -> bool:
    """The template caption, which older versions stored in the language of whoever added the item."""
    return caption in {Translator(lang)("caption.default", title=title) for lang in LANGUAGES}


def caption_for(t: Translator, content: Content) -> str:
    """The suggested caption for a reader of `t`'s language: a written caption in that language,
    else the first written one (it is the content's own), else the template in that language,
    made now, so a card never shows a template in another language than its own."""
    written = [c for c in content.captions if not is_default_caption(c, content.title)]
    return (next((c for c in written if caption_language(c) == t.lang), None)
            or (written[0] if written else t("caption.default", title=content.title)))


def suggestion_card(t: Translator, content: Content, share_count: int) -> Card:
    tags = " ".join(f"#{tag}" for tag in content.tags)
    footer = " · ".join(part for part in (
        t("card.content_id", id=content.id),
        tags,
        t("card.promotional") if content.kind == "promotional" else "",
        t.n("card.share_count", share_count),
    ) if part)
    return Card(
        title=content.title,
        body=content.summary,
        url=content.url,
        quote=t("card.caption", caption=caption_for(t, content)),
        buttons=(
            Button(t("button.share_linkedin"), url=linkedin_share_url(content.url)),
            Button(t("button.claim"), verb="claim", target=str(content.id)),
            Button(t("button.shared"), verb="share", target=str(content.id), style="primary"),
        ),
        footer=footer,
        key=f"content:{content.id}",
    )


def post_link_input(t: Translator) -> TextInput:
    return TextInput("link", t("input.post_link"), POST_LINK_HINT, required=True, kind="url",
                     error_message=t("input.post_link_error"))


def link_offer_card(t: Translator, content_id: int, bonus: int) -> Card:
    """After a share: the field for the link to the member's post, and the button that saves it."""
    return Card(
        title=t("share.link_offer", bonus=bonus),
        inputs=(post_link_input(t),),
        buttons=(Button(t("button.add_link"), verb="link", target=str(content_id), style="primary"),),
        key=f"link:{content_id}",
    )
