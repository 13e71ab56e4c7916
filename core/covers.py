"""Designed typographic covers for a base, an artefact or a veteran without a photo.

A wall of identical placeholders tells a visitor nothing; a cover set in type tells them what
the thing is. The palette follows the category (or a base's kind), the motif the era, and the
layout varies with the name, so no two neighbouring cards look alike. The SVG is built on the
server (no script, so the Content Security Policy holds), memoised per process, and sent as a
data: URI inside the page, which the page cache then keeps too.
"""

import hashlib
from functools import lru_cache
from urllib.parse import quote
from xml.sax.saxutils import escape

# background, accent, ink: deep reds, ink, olive and earth, all with white type at >= 4.5:1
PALETTES = [
    ("#8e1515", "#f3e3b0", "#ffffff"),
    ("#6d0f0f", "#c9a227", "#ffffff"),
    ("#3b2a1a", "#e0c068", "#ffffff"),
    ("#2f3b2a", "#e3d29b", "#ffffff"),
    ("#4a1f3a", "#f0c8a0", "#ffffff"),
    ("#263445", "#e8d7a5", "#ffffff"),
    ("#5a2d0c", "#f3e3b0", "#ffffff"),
]
# one motif per era (war): a watermark that tells the periods apart at a glance
MOTIFS = {
    "anti_japanese": "star",
    "liberation": "rays",
    "korea": "laurel",
    "construction": "gear",
    "reform": "waves",
    # a base has no era: its kind picks the motif instead
    "independent": "star",
    "joint": "laurel",
    "sub_base": "rays",
}


def _digest(*parts):
    return hashlib.sha1("|".join(parts).encode()).digest()


def _motif(kind, accent):
    if kind == "star":
        return (
            f'<path d="M300 40l22 68h72l-58 42 22 68-58-42-58 42 22-68-58-42h72z" '
            f'fill="{accent}" opacity=".22"/>'
        )
    if kind == "rays":
        rays = "".join(
            f'<path d="M320 20 L{80 + i * 60} 240" stroke="{accent}" stroke-width="6" opacity=".18"/>'
            for i in range(8)
        )
        return rays
    if kind == "laurel":
        leaves = "".join(
            f'<ellipse cx="{260 + i * 18}" cy="{70 + abs(i - 3) * 16}" rx="9" ry="20" '
            f'fill="{accent}" opacity=".22" transform="rotate({(i - 3) * 18} {260 + i * 18} {70 + abs(i - 3) * 16})"/>'
            for i in range(7)
        )
        return leaves
    if kind == "gear":
        return (
            f'<circle cx="320" cy="70" r="60" fill="none" stroke="{accent}" stroke-width="18" '
            f'stroke-dasharray="18 12" opacity=".22"/>'
        )
    if kind == "waves":
        return "".join(
            f'<path d="M0 {60 + i * 26} q50 -20 100 0 t100 0 t100 0 t100 0" fill="none" '
            f'stroke="{accent}" stroke-width="5" opacity=".18"/>'
            for i in range(4)
        )
    return (
        f'<rect x="18" y="18" width="364" height="214" fill="none" stroke="{accent}" '
        f'stroke-width="3" opacity=".5"/>'
    )


@lru_cache(maxsize=4096)
def cover_svg(title, subtitle="", group="", era="", *, square=False):
    """The SVG markup of a cover: `title` in large type, `subtitle` beneath, palette by
    name and `group` (category or kind), motif by `era` (or a base's kind)."""
    digest = _digest(title, group)
    background, accent, ink = PALETTES[int.from_bytes(digest[:2], "big") % len(PALETTES)]
    width, height = (400, 400) if square else (400, 250)
    glyphs = title[:1] or "·"
    # the first character large, set left or right by the name, as a seal is
    left = digest[1] % 2 == 0
    x = 40 if left else width - 40
    anchor = "start" if left else "end"
    name = title if len(title) <= 12 else title[:11] + "…"
    name_size = 26 if len(name) <= 9 else 20
    base_y = height - 48
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}">',
        f'<rect width="{width}" height="{height}" fill="{background}"/>',
        f'<g transform="translate({0 if left else 0} {0 if square else -10})">'
        f"{_motif(MOTIFS.get(era, ''), accent)}</g>",
        f'<rect x="0" y="{height - 8}" width="{width}" height="8" fill="{accent}"/>',
        f'<text x="{x}" y="{base_y - (130 if square else 70)}" font-size="{120 if square else 88}" '
        f'font-weight="700" fill="{accent}" text-anchor="{anchor}" '
        f'font-family="PingFang SC, Microsoft YaHei, Noto Sans CJK SC, WenQuanYi Zen Hei, sans-serif">'
        f"{escape(glyphs)}</text>",
        f'<text x="{x}" y="{base_y}" font-size="{name_size}" font-weight="700" fill="{ink}" '
        f'text-anchor="{anchor}" font-family="PingFang SC, Microsoft YaHei, Noto Sans CJK SC, '
        f'WenQuanYi Zen Hei, sans-serif">{escape(name)}</text>',
    ]
    if subtitle:
        parts.append(
            f'<text x="{x}" y="{base_y + 26}" font-size="16" fill="{ink}" text-anchor="{anchor}" '
            f'font-family="PingFang SC, Microsoft YaHei, Noto Sans CJK SC, WenQuanYi Zen Hei, '
            f'sans-serif">{escape(subtitle)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def cover_data_uri(title, subtitle="", group="", era="", *, square=False):
    svg = cover_svg(str(title), str(subtitle), str(group), str(era or ""), square=square)
    return "data:image/svg+xml;charset=utf-8," + quote(svg, safe=" =:/,.;()")
