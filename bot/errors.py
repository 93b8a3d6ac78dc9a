"""The small error hierarchy every layer shares."""
from __future__ import annotations

from typing import Any


class UserFacingError(Exception):
    """Shown to the person who asked, translated; the transaction is rolled back."""

    def __init__(self, key: str, /, **params: Any):
        # positional-only: a placeholder may itself be called `key` (`faq.unknown` has `{key}`)
        super().__init__(key)
        self.key = key
        self.params = params


class ConfigError(Exception):
    """A bad setting: names the variable and what is expected."""

    def __init__(self, variable: str, expected: str, got: str | None = None, *, cause: str | None = None):
        shown = "" if got is None else f" (got {got!r})"
        because = "" if cause is None else f"; {cause}"
        super().__init__(f"{variable}: expected {expected}{shown}{because}")
        self.variable = variable


class DeliveryError(Exception):
    """A send through a chat platform failed.

    `retry_after` (seconds) is set when the platform said when to come back;
    `permanent` means retrying cannot help (unknown channel, user blocked the bot);
    `unsure` means the platform may have taken the message though no answer came (a timeout):
    sending it again could show it twice, so the dispatcher looks it up first where it can.
    """

    def __init__(self, message: str, *, permanent: bool = False, retry_after: float | None = None,
                 reason: str | None = None, unsure: bool = False):
        super().__init__(message)
        self.permanent = permanent
        self.retry_after = retry_after
        self.reason = reason
        self.unsure = unsure


class RecipientUnreachable(DeliveryError):
    """The member cannot be messaged (e.g. never installed the app personally)."""

    def __init__(self, message: str, reason: str = "unreachable"):
        super().__init__(message, permanent=True, reason=reason)


class NotInChannel(DeliveryError):
    """The bot is not a member of the target channel."""

    def __init__(self, message: str, channel: str):
        super().__init__(message, permanent=True, reason="not_in_channel")
        self.channel = channel
