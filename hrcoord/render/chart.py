"""Hand-written SVG bar charts for HTML documents: no plotting library, deterministic output
(the same numbers give the same bytes), text escaped, readable without colour (numbers printed)."""
from __future__ import annotations

from html import escape


def bar_chart(items: list[tuple[str, int, str]], title: str, *, width: int = 560, bar_height: int = 22,
              gap: int = 6, label_width: int = 190) -> str:
    """Horizontal bars: `items` are (label, value, colour). Returns an inline `<svg>` element."""
    top = 28
    height = top + len(items) * (bar_height + gap) + 4
    scale_width = width - label_width - 50
    biggest = max([v for _, v, _ in items] + [1])
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}">',
        f'<title>{escape(title)}</title>',
        f'<text x="0" y="16" font-family="sans-serif" font-size="14" font-weight="bold">{escape(title)}</text>',
    ]
    for n, (label, value, colour) in enumerate(items):
        y = top + n * (bar_height + gap)
        w = round(scale_width * value / biggest) if value else 0
        text_y = y + bar_height // 2 + 5
        out.append(f'<text x="{label_width - 8}" y="{text_y}" text-anchor="end" font-family="sans-serif" '
                   f'font-size="13">{escape(label)}</text>')
        out.append(f'<rect x="{label_width}" y="{y}" width="{w}" height="{bar_height}" '
                   f'fill="{escape(colour)}"><title>{escape(label)}: {value}</title></rect>')
        out.append(f'<text x="{label_width + w + 6}" y="{text_y}" font-family="sans-serif" '
                   f'font-size="13">{value}</text>')
    out.append("</svg>")
    return "\n".join(out)


def status_chart(counts: dict[str, int], labels: dict[str, str], colours: dict[str, str], title: str,
                 *, skip_empty: tuple[str, ...] = ("none",)) -> str:
    """The status distribution of measures; statuses listed in `skip_empty` are left out when 0."""
    items = [(labels.get(s, s), n, colours.get(s, "#888888")) for s, n in counts.items()
             if n or s not in skip_empty]
    return bar_chart(items, title)
