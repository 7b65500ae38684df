"""Turnout-by-checkpoint chart as plain SVG coordinates (no script, no CDN)."""

from dataclasses import dataclass

WIDTH, HEIGHT = 560, 260
LEFT, RIGHT, TOP, BOTTOM = 44, 150, 14, 30


@dataclass(frozen=True)
class Line:
    label: str
    points: str  # "x,y x,y" for <polyline>
    css: str
    end_y: float


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    x_labels: list[tuple[float, str]]
    y_ticks: list[tuple[float, str]]
    lines: list[Line]
    dots: list[tuple[float, float, str]]  # x, y, title


def _x(i: int, n: int) -> float:
    span = WIDTH - LEFT - RIGHT
    return LEFT + (span * i / (n - 1) if n > 1 else span / 2)


def _y(pct: float) -> float:
    return TOP + (HEIGHT - TOP - BOTTOM) * (1 - min(max(pct, 0.0), 100.0) / 100)


def build(
    labels: list[str],
    actual: list[float | None],
    pace: list[float],
    targets: list[tuple[str, float]],
    references: list[tuple[str, float]],
) -> Chart:
    """`actual` and `pace` per checkpoint; `targets` and `references` as flat lines (final turnout)."""
    n = len(labels)
    lines = []
    for label, pct in targets:
        lines.append(Line(label, f"{_x(0, n):.1f},{_y(pct):.1f} {_x(n - 1, n):.1f},{_y(pct):.1f}", "target", _y(pct)))
    for label, pct in references:
        lines.append(
            Line(label, f"{_x(0, n):.1f},{_y(pct):.1f} {_x(n - 1, n):.1f},{_y(pct):.1f}", "reference", _y(pct))
        )
    pace_points = " ".join(f"{_x(i, n):.1f},{_y(p):.1f}" for i, p in enumerate(pace))
    lines.append(Line("Laju target", pace_points, "pace", _y(pace[-1]) if pace else 0))
    known = [(i, p) for i, p in enumerate(actual) if p is not None]
    if known:
        points = " ".join(f"{_x(i, n):.1f},{_y(p):.1f}" for i, p in known)
        lines.append(Line("Partisipasi", points, "actual", _y(known[-1][1])))
    dots = [(_x(i, n), _y(p), f"{labels[i]}: {p:.2f} %".replace(".", ",")) for i, p in known]
    return Chart(
        WIDTH,
        HEIGHT,
        [(_x(i, n), label) for i, label in enumerate(labels)],
        [(_y(v), f"{v} %") for v in (0, 20, 40, 60, 80, 100)],
        _spread_labels(lines),
        dots,
    )


def _spread_labels(lines: list[Line]) -> list[Line]:
    """Keep the right-hand labels at least 12 px apart so close targets stay readable."""
    placed: list[Line] = []
    last = -100.0
    for line in sorted(lines, key=lambda item: item.end_y):
        y = max(line.end_y, last + 12)
        placed.append(Line(line.label, line.points, line.css, y))
        last = y
    return placed
