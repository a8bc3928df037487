"""Draw the program icon (two linked rings on a red tile: 结对, pairing) into resources/icons.

Run by hand when the design changes; the outputs are committed so a build never depends on this script:
``python build/make_icon.py`` writes ``bangfu.png`` (256 px, window and Linux desktop icon), ``bangfu-512.png``
and ``bangfu.ico`` (16–256 px, Windows executable and installer).
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
RED = (200, 32, 46, 255)
GOLD = (255, 204, 64, 255)
WHITE = (255, 255, 255, 255)
ICO_SIZES = [16, 24, 32, 48, 64, 128, 256]


def draw(size: int) -> Image.Image:
    """Draw at 4x and downsample, which gives smooth edges without an anti-aliasing renderer."""
    scale = 4
    s = size * scale
    img = Image.new("RGBA", (s, s), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    d.rounded_rectangle((0, 0, s - 1, s - 1), radius=s * 0.2, fill=RED)
    ring = s * 0.27
    width = max(int(s * 0.085), 2)
    cy = s * 0.5
    for cx, color in ((s * 0.37, WHITE), (s * 0.63, GOLD)):
        d.ellipse((cx - ring, cy - ring, cx + ring, cy + ring), outline=color, width=width)
    # Re-draw the upper-left arc of the white ring over the gold one so the rings look linked.
    cx = s * 0.37
    d.arc((cx - ring, cy - ring, cx + ring, cy + ring), start=-80, end=-42, fill=WHITE, width=width)
    return img.resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    ICONS.mkdir(parents=True, exist_ok=True)
    draw(256).save(ICONS / "bangfu.png")
    draw(512).save(ICONS / "bangfu-512.png")
    big = draw(256)
    big.save(ICONS / "bangfu.ico", sizes=[(n, n) for n in ICO_SIZES])
    print(f"icons written to {ICONS}")


if __name__ == "__main__":
    main()
