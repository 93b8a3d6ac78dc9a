"""Neutral cards for content, built once and rendered by every adapter."""
from __future__ import annotations

from bot.i18n import Translator
from bot.models import Button, Card, TextInput
from bot.urls import linkedin_share_url
from storage.models import Content


def suggestion_card(t: Translator, content: Content, share_count: int) -> Card:
    tags = " ".join(f"#{tag}" for tag in content.tags)
    footer = " · ".join(part for part in (
        t("card.content_id", id=content.id),
        tags,
        t("card.promotional") if content.kind == "promotional" else "",
        t.n("card.share_count", share_count),
    ) if part)
    caption = content.captions[0] if content.captions else None
    return Card(
        title=content.title,
        body=content.summary,
        url=content.url,
        quote=t("card.caption", caption=caption) if caption else None,
        buttons=(
            Button(t("button.share_linkedin"), url=linkedin_share_url(content.url)),
            Button(t("button.claim"), verb="claim", target=str(content.id)),
            Button(t("button.shared"), verb="share", target=str(content.id), style="primary"),
        ),
        inputs=(TextInput("link", t("input.post_link"), "https://www.linkedin.com/posts/…"),),
        footer=footer,
        key=f"content:{content.id}",
    )
