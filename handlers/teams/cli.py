"""`advocacy teams-package`, found by handlers.register_cli like every adapter's `cli` module."""
from handlers.teams.package import main, register_cli

__all__ = ["main", "register_cli"]
