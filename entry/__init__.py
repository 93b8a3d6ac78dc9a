"""Start-up: the only package that composes the core (`bot/`), `storage/`, `scheduler/` and the adapters
(`handlers/`). Nothing imports it; `advocacy` (entry.cli) runs it."""
