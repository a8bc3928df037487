"""Charts of the monthly report, drawn with matplotlib (Agg, no screen) and Chinese labels that never turn
into boxes: the first CJK font found in ``app.fonts.CJK_SANS_FONTS`` is used, and without one we refuse to draw.

Windows has Microsoft YaHei / SimHei; Linux build and CI machines have Noto Sans CJK (fonts-noto-cjk).
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence

import matplotlib
from matplotlib.figure import Figure

from app.fonts import chinese_font

# No pyplot: a bare Figure renders with Agg on any thread (the GUI's worker) and leaves the GUI's own
# matplotlib backend alone.

GREEN, RED, GREY, BLUE = "#2E7D32", "#C62828", "#9E9E9E", "#1565C0"


def new_figure(width: float = 8.0, height: float = 4.5) -> Figure:
    chinese_font()
    return Figure(figsize=(width, height), dpi=110, layout="constrained")


def png_bytes(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


def svg_bytes(fig: Figure) -> bytes:
    """The figure as SVG, text drawn as outlines: a vector image any document can embed without the font."""
    buffer = io.BytesIO()
    with matplotlib.rc_context({"svg.fonttype": "path"}):
        fig.savefig(buffer, format="svg")
    return buffer.getvalue()


def percent_bars(
    title: str,
    labels: Sequence[str],
    values: Sequence[float | None],
    met: Sequence[bool | None] | None = None,
    targets: Sequence[float | None] | None = None,
) -> Figure:
    """Horizontal bars of percentages, each with a mark at its own target (coverage 100%, income growth 10% …):
    green where the target is met, red where not (``met``; by default at or above the target), grey without
    data or without a target."""
    targets = targets if targets is not None else [100.0] * len(labels)
    fig = new_figure(8, 0.55 * max(len(labels), 3) + 1.2)
    ax = fig.add_subplot()
    shown = [v if v is not None else 0.0 for v in values]
    if met is None:
        met = [None if v is None or t is None else v >= t for v, t in zip(values, targets, strict=True)]
    colours = [GREY if v is None or ok is None else (GREEN if ok else RED) for v, ok in zip(values, met, strict=True)]
    bars = ax.barh(list(labels), shown, color=colours, height=0.6)
    for row, target in enumerate(targets):
        if target is not None:
            ax.plot([target, target], [row - 0.42, row + 0.42], color="#212121", linewidth=2)
    ax.plot([], [], color="#212121", linewidth=2, label="目标值")
    fig.legend(loc="outside lower right", fontsize=8)  # below the axes: inside, it would cover a value
    ax.set_xlim(0, max(150.0, max(shown, default=0) * 1.5))  # room for the value and target text
    ax.invert_yaxis()
    ax.set_xlabel("%")
    ax.set_title(title)
    for bar, value, target in zip(bars, values, targets, strict=True):
        text = "无数据" if value is None else f"{value:.1f}%"
        if target is not None:
            text += f"（目标{target:g}%）"
        right = max(bar.get_width(), target or 0.0)  # past the target mark, which a short bar would cross
        ax.text(right + 1.5, bar.get_y() + bar.get_height() / 2, text, va="center", fontsize=8)
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
    ax.set_xlim(-0.6, max(len(labels), 3) - 0.4)  # one or two categories keep the bar width of three
    ax.set_ylabel("万元")
    ax.set_title(title)
    if series:
        ax.legend()
    return fig
