"""The timeline chart of one agreement as inline SVG (no script, no CDN): the schedule as a
cumulative step line against cumulative disbursed, spent and refunded money."""

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from html import escape

WIDTH, HEIGHT = 760, 280
LEFT, RIGHT, TOP, BOTTOM = 70, 20, 20, 50
SERIES_STYLE = {
    "schedule": ("#90a4ae", "6 4"),
    "disbursed": ("#0b5d7a", ""),
    "spent": ("#2e7d32", ""),
    "refunded": ("#c62828", ""),
}
MONTHS = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]


def cumulative(points: Sequence[tuple[dt.date, Decimal]]) -> list[tuple[dt.date, Decimal]]:
    running = Decimal(0)
    out = []
    for day, amount in sorted(points, key=lambda p: p[0]):
        running += amount
        out.append((day, running))
    return out


def timeline_svg(
    *,
    amount: Decimal,
    start: dt.date,
    end: dt.date,
    series: dict[str, list[tuple[dt.date, Decimal]]],
    labels: dict[str, str],
    markers: Sequence[tuple[dt.date, str]] = (),
) -> str:
    """`series` maps a key of SERIES_STYLE to cumulative (date, value) points."""
    end = max(end, start + dt.timedelta(days=30))
    top = max([amount, *(v for pts in series.values() for _, v in pts)]) or Decimal(1)
    span = (end - start).days

    def x(day: dt.date) -> float:
        return LEFT + (WIDTH - LEFT - RIGHT) * (min(max((day - start).days, 0), span) / span)

    def y(value: Decimal) -> float:
        return TOP + (HEIGHT - TOP - BOTTOM) * (1 - float(value / top))

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'class="grant-timeline" aria-label="{escape(labels.get("title", ""))}">',
        f'<rect x="{LEFT}" y="{TOP}" width="{WIDTH - LEFT - RIGHT}" height="{HEIGHT - TOP - BOTTOM}" '
        'fill="#fff" stroke="#d8dee5"/>',
    ]
    parts += _y_axis(top, y)
    parts += _x_axis(start, end, x)
    for index, (day, text) in enumerate(markers):
        if start <= day <= end:
            near_end = x(day) > WIDTH - RIGHT - 120
            anchor, dx = ("end", -3) if near_end else ("start", 3)
            parts.append(
                f'<line x1="{x(day):.1f}" y1="{TOP}" x2="{x(day):.1f}" y2="{HEIGHT - BOTTOM}" stroke="#e0a100" '
                f'stroke-dasharray="2 3"/><text x="{x(day) + dx:.1f}" y="{TOP + 12 + 12 * index}" font-size="10" '
                f'text-anchor="{anchor}" fill="#8a6d00">{escape(text)}</text>'
            )
    for key, points in series.items():
        if points:
            parts.append(_step_path(key, points, end, x, y, labels.get(key, key)))
    parts += _legend(series, labels)
    parts.append("</svg>")
    return "".join(parts)


def _step_path(key, points, end, x, y, label: str) -> str:
    colour, dash = SERIES_STYLE[key]
    path = [f"M{x(points[0][0]):.1f},{y(Decimal(0)):.1f}"]
    for day, value in points:
        path.append(f"H{x(day):.1f}V{y(value):.1f}")
    path.append(f"H{x(end):.1f}")
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        f'<path class="series-{key}" d="{"".join(path)}" fill="none" stroke="{colour}" stroke-width="2"{dash_attr}>'
        f"<title>{escape(label)}</title></path>"
    )


def _y_axis(top: Decimal, y) -> list[str]:
    out = []
    for i in range(5):
        value = top * i / 4
        out.append(
            f'<line x1="{LEFT}" y1="{y(value):.1f}" x2="{WIDTH - RIGHT}" y2="{y(value):.1f}" stroke="#eef2f5"/>'
            f'<text x="{LEFT - 6}" y="{y(value) + 4:.1f}" font-size="10" text-anchor="end">'
            f"{_short_rupiah(value)}</text>"
        )
    return out


def _x_axis(start: dt.date, end: dt.date, x) -> list[str]:
    months = (end.year - start.year) * 12 + end.month - start.month
    step = max(1, months // 8 + (1 if months % 8 else 0))
    out = []
    day = dt.date(start.year, start.month, 1)
    index = 0
    while day <= end:
        if day >= start and index % step == 0:
            out.append(
                f'<text x="{x(day):.1f}" y="{HEIGHT - BOTTOM + 14}" font-size="10" text-anchor="middle">'
                f"{MONTHS[day.month - 1]} {day.year % 100:02d}</text>"
            )
        index += 1
        day = dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return out


def _legend(series, labels) -> list[str]:
    out = []
    left = LEFT
    for key in series:
        colour, dash = SERIES_STYLE[key]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(
            f'<line x1="{left}" y1="{HEIGHT - 12}" x2="{left + 18}" y2="{HEIGHT - 12}" stroke="{colour}" '
            f'stroke-width="2"{dash_attr}/><text x="{left + 22}" y="{HEIGHT - 8}" font-size="11">'
            f"{escape(labels.get(key, key))}</text>"
        )
        left += 30 + 7 * len(labels.get(key, key))
    return out


def _short_rupiah(value: Decimal) -> str:
    """Axis labels in the units a finance office reads: jt (juta) and M (miliar)."""
    if value >= 1_000_000_000:
        return f"{value / 1_000_000_000:.1f} M".replace(".", ",")
    if value >= 1_000_000:
        return f"{value / 1_000_000:.0f} jt"
    return f"{value:.0f}"
