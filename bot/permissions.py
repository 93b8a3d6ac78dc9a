"""Who may do what. The router checks the right each command and button declares (bot/registry.py),
in the core, so every platform and every button obeys it."""
from __future__ import annotations

from enum import StrEnum

from bot.errors import UserFacingError


class Role(StrEnum):
    ADMIN = "admin"
    EDITOR = "editor"
    AMBASSADOR = "ambassador"
    EMPLOYEE = "employee"


class Right(StrEnum):
    MANAGE_CONTENT = "manage_content"
    POST_DIGEST = "post_digest"
    MANAGE_FAQ = "manage_faq"
    SEE_STATS = "see_stats"
    CONFIGURE = "configure"


GRANTS: dict[Role, frozenset[Right]] = {
    Role.ADMIN: frozenset(Right),
    Role.EDITOR: frozenset({Right.MANAGE_CONTENT, Right.POST_DIGEST, Right.MANAGE_FAQ, Right.SEE_STATS}),
    Role.AMBASSADOR: frozenset(),
    Role.EMPLOYEE: frozenset(),
}


def can(role: str, right: Right) -> bool:
    try:
        return right in GRANTS[Role(role)]
    except ValueError:
        return False


def require(role: str, right: Right) -> None:
    if not can(role, right):
        raise UserFacingError("error.not_allowed")
