"""matplotlib inside the window (FigureCanvasQTAgg) with a CJK font chain, so Chinese is never boxes.

The chain names Windows fonts first (Microsoft YaHei, SimHei), then macOS and Linux ones (Noto Sans CJK SC,
WenQuanYi); the first one installed wins, DejaVu Sans keeps Latin digits.
"""

from __future__ import annotations

from functools import cache

import matplotlib

matplotlib.use("QtAgg")

from matplotlib import font_manager, rcParams
from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure

CJK_CHAIN = [
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "Noto Sans CJK JP",
]


@cache
def setup_fonts() -> list[str]:
    installed = {f.name for f in font_manager.fontManager.ttflist}
    chain = [name for name in CJK_CHAIN if name in installed]
    rcParams["font.family"] = "sans-serif"
    rcParams["font.sans-serif"] = [*chain, "DejaVu Sans"]
    rcParams["axes.unicode_minus"] = False
    rcParams["font.size"] = 9
    return chain


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
