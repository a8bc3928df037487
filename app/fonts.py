"""The CJK font chain for charts, so Chinese is never drawn as boxes — one list for every chart in the program.

Windows desk PCs have Microsoft YaHei (and SimHei); UOS/Kylin and Debian have Noto Sans CJK / Source Han Sans,
else WenQuanYi. DejaVu Sans comes last for Latin-only systems (Chinese shows as boxes there: the self-test fails
on purpose). ``configure_matplotlib`` imports matplotlib, so call it where a chart is drawn, not at start-up.
"""

from __future__ import annotations

# First found wins.
CJK_SANS_FONTS = (
    "Microsoft YaHei",
    "SimHei",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Droid Sans Fallback",
    "DejaVu Sans",
)


def configure_matplotlib() -> None:
    """Put the CJK chain in front of matplotlib's sans-serif fonts; ASCII minus signs (CJK fonts lack U+2212)."""
    import matplotlib

    matplotlib.rcParams["font.family"] = "sans-serif"
    matplotlib.rcParams["font.sans-serif"] = [*CJK_SANS_FONTS, *matplotlib.rcParams["font.sans-serif"]]
    matplotlib.rcParams["axes.unicode_minus"] = False
