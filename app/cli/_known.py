"""Command modules listed for frozen builds where package listing is unavailable (keep in sync; a test checks)."""

MODULES: list[str] = []
