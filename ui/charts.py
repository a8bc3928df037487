"""matplotlib inside the window (FigureCanvasQTAgg) with a CJK font chain, so Chinese is never boxes.

The chain names Windows fonts first (Microsoft YaHei, SimHei), then macOS and Linux ones (Noto Sans CJK SC,
WenQuanYi); the first one installed wins, DejaVu Sans keeps Latin digits.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("QtAgg")

from matplotlib import rcParams
from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure

from app.fonts import configure_matplotlib


def setup_fonts() -> tuple[str, ...]:
    """The program's one CJK chain (app/fonts.py), and the dashboard's smaller type."""
    found = configure_matplotlib()
    rcParams["font.size"] = 9
    return found


class ChartCanvas(FigureCanvasQTAgg):
    """One figure with one axes; ``draw_with(fn)`` clears and redraws."""

    def __init__(self, width: float = 4.2, height: float = 2.8) -> None:
        setup_fonts()
        self.figure = Figure(figsize=(width, height), dpi=100, layout="constrained")
        super().__init__(self.figure)
        self.axes = self.figure.add_subplot(111)
        self.setMinimumHeight(240)

    def clear(self) -> None:
        self.axes.clear()
        self.axes.set_axis_off()
        self.draw_idle()
