"""The CJK font chain — one list for every chart and for the window's own font, so Chinese is never boxes.

Windows desk PCs have Microsoft YaHei (and SimHei); macOS PingFang; UOS/Kylin and Debian Noto Sans CJK /
Source Han Sans, else WenQuanYi. ``configure_matplotlib`` imports matplotlib, so call it where a chart is
drawn, not at start-up. Without any CJK font, charts refuse to draw (``NoChineseFont``) rather than print boxes.
"""

from __future__ import annotations

from functools import cache

from app.errors import BangfuError

# First found wins.
CJK_SANS_FONTS = (
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Noto Sans CJK JP",
    "Droid Sans Fallback",
)
UI_FONTS = ("Microsoft YaHei UI", *CJK_SANS_FONTS)
"""For the window's font (Qt): YaHei's UI cut first, where Windows has it."""


class NoChineseFont(BangfuError):
    def __init__(self) -> None:
        super().__init__(
            "本机没有可用的中文字体（如微软雅黑、黑体或思源黑体），无法生成图表。",
            "No Chinese font (Microsoft YaHei, SimHei or Noto Sans CJK) is installed, so charts cannot be drawn.",
        )


@cache
def configure_matplotlib() -> tuple[str, ...]:
    """Put the installed CJK fonts of the chain in front of matplotlib's sans-serif list; returns them.

    ASCII minus signs: CJK fonts lack U+2212. DejaVu Sans stays behind the chain for Latin-only glyphs.
    """
    import matplotlib
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    found = tuple(name for name in CJK_SANS_FONTS if name in installed)
    matplotlib.rcParams["font.family"] = "sans-serif"
    matplotlib.rcParams["font.sans-serif"] = [*found, "DejaVu Sans"]
    matplotlib.rcParams["axes.unicode_minus"] = False
    return found


def chinese_font() -> str:
    """The CJK font charts will use; ``NoChineseFont`` when none is installed."""
    found = configure_matplotlib()
    if not found:
        raise NoChineseFont()
    return found[0]


PDF_CID_FALLBACK = "STSong-Light"
"""Adobe's built-in Chinese CID font: every PDF reader supplies it, so the PDF needs no font file (not embedded)."""
PDF_FONT_NAME = "BangfuCJK"


@cache
def reportlab_font() -> str:
    """The font name ReportLab documents write Chinese in, registered once: the first regular face of the chain
    that ReportLab can embed, else ``PDF_CID_FALLBACK``.

    ReportLab embeds TrueType outlines only: Microsoft YaHei, SimHei and WenQuanYi qualify; the CFF-based
    Noto Sans CJK / Source Han Sans .ttc files (Debian's default) do not, and are skipped.
    """
    from matplotlib import font_manager
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfbase.ttfonts import TTFError, TTFont

    faces = {
        f.name: f
        for f in reversed(font_manager.fontManager.ttflist)  # reversed: the first listed face of a name wins
        if f.style == "normal" and f.weight in (400, "normal", "regular")
    }
    for name in CJK_SANS_FONTS:
        face = faces.get(name)
        if face is None:
            continue
        try:
            pdfmetrics.registerFont(TTFont(PDF_FONT_NAME, face.fname, subfontIndex=getattr(face, "index", 0)))
        except (TTFError, OSError):
            continue
        return PDF_FONT_NAME
    pdfmetrics.registerFont(UnicodeCIDFont(PDF_CID_FALLBACK))
    return PDF_CID_FALLBACK
