"""Draws static/img/share.png (the 1200×630 card WeChat and other apps show for a shared link),
the PNG favicons and the apple-touch icon. Run once after the identity changes, and commit the
files: the server never draws them. Needs a CJK font (WenQuanYi Zen Hei or Noto Sans CJK)."""

import math
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from PIL import Image, ImageDraw, ImageFont

RED, RED_DEEP, GOLD, GOLD_LIGHT = (183, 28, 28), (109, 15, 15), (201, 162, 39), (243, 227, 176)
FONTS = [
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
]


def _font(size):
    for path in FONTS:
        if Path(path).exists():
            return ImageFont.truetype(path, size)
    raise CommandError(f"No CJK font found; install one of {FONTS}.")


def _star(draw, cx, cy, r, fill):

    points = []
    for i in range(10):
        radius = r if i % 2 == 0 else r * 0.382
        angle = math.pi / 2 + i * math.pi / 5
        points.append((cx + radius * math.cos(angle), cy - radius * math.sin(angle)))
    draw.polygon(points, fill=fill)


def share_card():
    image = Image.new("RGB", (1200, 630), RED)
    draw = ImageDraw.Draw(image)
    for y in range(630):  # a quiet vertical gradient, deep red at the foot
        t = y / 629
        draw.line(
            [(0, y), (1200, y)],
            fill=tuple(int(a + (b - a) * t) for a, b in zip(RED, RED_DEEP, strict=True)),
        )
    draw.rectangle([0, 560, 1200, 572], fill=GOLD)
    _star(draw, 150, 170, 70, GOLD_LIGHT)
    draw.text((260, 120), "晋中市委老干部局", font=_font(84), fill="white")
    draw.text((262, 240), "离退休干部党建工作平台", font=_font(56), fill=GOLD_LIGHT)
    draw.text((262, 350), "忆党史 · 强信念 · 跟党走", font=_font(44), fill="white")
    draw.text(
        (262, 440), "21个红色教育基地 · 老战士口述历史 · 红色文物", font=_font(34), fill=GOLD_LIGHT
    )
    return image


def icon(size):
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle([0, 0, size - 1, size - 1], radius=size // 5, fill=RED)
    _star(draw, size / 2, size / 2 + size * 0.03, size * 0.36, GOLD_LIGHT)
    return image


class Command(BaseCommand):
    help = "Draw static/img/share.png and the PNG icons (run once, commit the files)."

    def handle(self, *args, **options):
        folder = Path(settings.BASE_DIR) / "static" / "img"
        share_card().save(folder / "share.png", optimize=True)
        icon(32).save(folder / "favicon-32.png", optimize=True)
        icon(180).convert("RGB").save(folder / "apple-touch-icon.png", optimize=True)
        self.stdout.write(f"Wrote share.png, favicon-32.png and apple-touch-icon.png in {folder}")
