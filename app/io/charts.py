"""Charts of the monthly report, drawn with matplotlib (Agg, no screen) and Chinese labels that never turn
into boxes: the first CJK font found in ``CJK_FONTS`` is used, and without one we refuse to draw.

Windows has Microsoft YaHei / SimHei; Linux build and CI machines have Noto Sans CJK (fonts-noto-cjk).
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from functools import lru_cache

import matplotlib

matplotlib.use("Agg")  # before pyplot: the report is drawn off-screen, also from the GUI's worker thread

import matplotlib.pyplot as plt
from matplotlib import font_manager
from matplotlib.figure import Figure

from app.errors import BangfuError

CJK_FONTS = (
    "Microsoft YaHei",
    "SimHei",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "PingFang SC",
    "Noto Sans CJK JP",
)
GREEN, RED, GREY, BLUE = "#2E7D32", "#C62828", "#9E9E9E", "#1565C0"


class NoChineseFont(BangfuError):
    def __init__(self) -> None:
        super().__init__(
            "本机没有可用的中文字体（如微软雅黑、黑体或思源黑体），无法生成图表。",
            "No Chinese font (Microsoft YaHei, SimHei or Noto Sans CJK) is installed, so charts cannot be drawn.",
        )


@lru_cache(maxsize=1)
def chinese_font() -> str:
    """The first installed CJK font of ``CJK_FONTS``; configures matplotlib to use it."""
    installed = {f.name for f in font_manager.fontManager.ttflist}
    for name in CJK_FONTS:
        if name in installed:
            matplotlib.rcParams["font.sans-serif"] = [name, "DejaVu Sans"]
            matplotlib.rcParams["font.family"] = "sans-serif"
            matplotlib.rcParams["axes.unicode_minus"] = False  # the CJK font's minus sign
            return name
    raise NoChineseFont()


def new_figure(width: float = 8.0, height: float = 4.5) -> Figure:
    chinese_font()
    fig = plt.figure(figsize=(width, height), dpi=110)
    fig.set_layout_engine("constrained")
    return fig


def png_bytes(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    return buffer.getvalue()


def percent_bars(
    title: str,
    labels: Sequence[str],
    values: Sequence[float | None],
    met: Sequence[bool | None] | None = None,
    target: float = 100.0,
) -> Figure:
    """Horizontal bars of percentages against a target line: green where the target is met, red where not
    (``met``; by default at or above ``target``), grey without data."""
    fig = new_figure(8, 0.55 * max(len(labels), 3) + 1.2)
    ax = fig.add_subplot()
    shown = [v if v is not None else 0.0 for v in values]
    met = met if met is not None else [None if v is None else v >= target for v in values]
    colours = [GREY if v is None or ok is None else (GREEN if ok else RED) for v, ok in zip(values, met, strict=True)]
    bars = ax.barh(list(labels), shown, color=colours)
    ax.axvline(target, color=GREY, linestyle="--", linewidth=1)
    ax.set_xlim(0, max(105.0, max(shown, default=0) * 1.1))
    ax.invert_yaxis()
    ax.set_xlabel("%")
    ax.set_title(title)
    for bar, value in zip(bars, values, strict=True):
        text = "无数据" if value is None else f"{value:.1f}%"
        ax.text(bar.get_width() + 1, bar.get_y() + bar.get_height() / 2, text, va="center", fontsize=9)
    return fig


def money_bars(title: str, labels: Sequence[str], series: Mapping[str, Sequence[float]]) -> Figure:
    """Grouped vertical bars (e.g. budget / allocated / disbursed per project category), in 万元."""
    fig = new_figure(9, 4.8)
    ax = fig.add_subplot()
    width = 0.8 / max(len(series), 1)
    positions = range(len(labels))
    for n, (name, values) in enumerate(series.items()):
        ax.bar([p + n * width for p in positions], [v / 10_000 for v in values], width, label=name)
    ax.set_xticks([p + width * (len(series) - 1) / 2 for p in positions], list(labels), rotation=30, ha="right")
    ax.set_ylabel("万元")
    ax.set_title(title)
    if series:
        ax.legend()
    return fig
