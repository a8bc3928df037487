"""GUI start-up. Placeholder until the workbench lands: a minimal window that says what the program is."""

from __future__ import annotations

import sys


def run_gui(argv: list[str]) -> int:
    from PySide6.QtWidgets import QApplication, QLabel

    app = QApplication.instance() or QApplication(sys.argv[:1] + argv)
    label = QLabel(
        "帮扶通 Bangfu — 图形界面开发中 / the workbench is being built.\n请先使用命令行：python main.py --help"
    )
    label.setMinimumSize(480, 160)
    label.show()
    return app.exec()
