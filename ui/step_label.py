"""A label for results, errors and fingerprints that appear after a step: it takes no room while empty."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel


class StepLabel(QLabel):
    """A label that takes no room while it has nothing to say (results, fingerprints, errors)."""

    def __init__(self, text: str = "") -> None:
        super().__init__(text)
        self.setVisible(bool(text))

    def setText(self, text: str) -> None:
        super().setText(text)
        self.setVisible(bool(text))

    def clear(self) -> None:
        super().clear()
        self.hide()
