"""A time-series chart drawn as inline SVG by the template (no script, nothing from
elsewhere): the mean per bucket as a line, the range from minimum to maximum as a band.
The page puts the numbers in a table beside it, for screen readers and keyboard users."""

import datetime as dt
from dataclasses import dataclass


@dataclass
class Tick:
    y: float
    label: str


@dataclass
class SeriesChart:
    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    line: str  # SVG path of the means
    band: str  # SVG path of the min–max range (closed)
    ticks: list[Tick]
    first: dt.datetime | None
    last: dt.datetime | None


def series_chart(
    rows: list[tuple[dt.datetime, float, float, float]], *, width: int = 720, height: int = 280
) -> SeriesChart:
    """``rows``: (bucket start, mean, min, max), oldest first."""
    left, right, top, bottom = 56, width - 16, 12, height - 32
    if not rows:
        return SeriesChart(width, height, left, right, top, bottom, "", "", [], None, None)
    low = min(r[2] for r in rows)
    high = max(r[3] for r in rows)
    if high == low:
        high, low = high + 1, low - 1
    first, last = rows[0][0], rows[-1][0]
    span = max((last - first).total_seconds(), 1)

    def x(moment: dt.datetime) -> float:
        if len(rows) == 1:
            return (left + right) / 2
        return round(left + (right - left) * (moment - first).total_seconds() / span, 1)

    def y(value: float) -> float:
        return round(bottom - (bottom - top) * (value - low) / (high - low), 1)

    line = " ".join(
        f"{'M' if n == 0 else 'L'}{x(t)},{y(mean)}" for n, (t, mean, _a, _b) in enumerate(rows)
    )
    upper = [f"{x(t)},{y(high_)}" for t, _m, _l, high_ in rows]
    lower = [f"{x(t)},{y(low_)}" for t, _m, low_, _h in reversed(rows)]
    band = "M" + " L".join(upper + lower) + " Z"
    steps = 4
    ticks = [
        Tick(y(low + (high - low) * n / steps), f"{low + (high - low) * n / steps:.4g}")
        for n in range(steps + 1)
    ]
    return SeriesChart(width, height, left, right, top, bottom, line, band, ticks, first, last)
