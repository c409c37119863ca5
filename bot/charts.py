"""The /stats chart: reports per day stacked by outcome, and where they came from drawn over the
jurisdiction's boundary (no tile server, no network). One PNG of CHART_SIZE pixels.

matplotlib with the Agg backend through `Figure` directly (no pyplot: no global state, no display),
so rendering is safe in a worker thread; callers use `render_png_async` to keep the event loop free.
The input is already aggregated by the database (days × outcomes, a grid of points with counts),
so the cost does not grow with the number of reports.
"""

from __future__ import annotations

import asyncio
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

# Width × height in pixels (at DPI): a photo Telegram shows without recompressing much.
CHART_SIZE = (1200, 900)
DPI = 100
# Outcome → colour, bottom to top of each bar.
OUTCOME_COLOURS = {
    "resolved": "#2e7d32",
    "false_report": "#c62828",
    "taken": "#f9a825",
    "new": "#1565c0",
    "screened_out": "#9e9e9e",
}
MAX_DATE_TICKS = 15


@dataclass(frozen=True)
class GridPoint:
    lat: float
    lon: float
    count: int


@dataclass(frozen=True)
class ChartData:
    days: Sequence[date]
    # outcome → one count per day, in the order of `days`.
    per_day: dict[str, Sequence[int]]
    points: Sequence[GridPoint]
    # Closed rings of (lon, lat): the jurisdiction's outline.
    outline: Sequence[Sequence[tuple[float, float]]]
    # (min_lat, min_lon, max_lat, max_lon) of the jurisdiction.
    bbox: tuple[float, float, float, float]
    # Texts in the reader's language: title_days, title_map, legend labels per outcome, no_points.
    labels: dict[str, str] = field(default_factory=dict)


def render_png(data: ChartData) -> bytes:
    """The chart as PNG bytes, exactly CHART_SIZE pixels."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    width, height = CHART_SIZE
    fig = Figure(figsize=(width / DPI, height / DPI), dpi=DPI)
    FigureCanvasAgg(fig)
    grid = fig.add_gridspec(2, 1, height_ratios=(1, 1.7), hspace=0.22, left=0.06, right=0.96, top=0.95, bottom=0.04)
    _bars(fig.add_subplot(grid[0]), data)
    # Below: the busiest areas as text, the map, its colour scale.
    row = grid[1].subgridspec(1, 3, width_ratios=(0.5, 1, 0.025), wspace=0.04)
    _areas(fig.add_subplot(row[0]), data)
    _map(fig.add_subplot(row[1]), fig.add_subplot(row[2]), data)
    buf = io.BytesIO()
    # No bbox_inches="tight": it would change the pixel size. Light compression: Telegram re-encodes
    # photos anyway, and level 6 (the default) costs more time than drawing the whole chart.
    fig.savefig(buf, format="png", dpi=DPI, pil_kwargs={"compress_level": 1})
    return buf.getvalue()


def warm_up() -> None:
    """Import matplotlib and draw a tiny figure (fonts, text layout): about half a second that the
    first /stats after a start would otherwise wait. Run at start-up in a worker thread."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(1, 1), dpi=DPI)
    FigureCanvasAgg(fig)
    fig.add_subplot().set_title("0")
    fig.savefig(io.BytesIO(), format="png")


async def render_png_async(data: ChartData) -> bytes:
    return await asyncio.to_thread(render_png, data)


def _bars(ax, data: ChartData) -> None:
    # One PolyCollection of rectangles per outcome: ax.bar makes a patch per bar, ~100× slower at a
    # year of days.
    from matplotlib.collections import PolyCollection
    from matplotlib.patches import Patch

    x = list(range(len(data.days)))
    bottom = [0] * len(x)
    handles = []
    half = 0.42
    for outcome, colour in OUTCOME_COLOURS.items():
        values = list(data.per_day.get(outcome, [0] * len(x)))
        if not any(values):
            continue
        boxes = [[(i - half, b), (i - half, b + v), (i + half, b + v), (i + half, b)]
                 for i, b, v in zip(x, bottom, values, strict=True) if v]
        ax.add_collection(PolyCollection(boxes, facecolors=colour, linewidths=0))
        handles.append(Patch(color=colour, label=data.labels.get(outcome, outcome)))
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    ax.set_title(data.labels.get("title_days", ""), loc="left", fontsize=12)
    step = max(1, math.ceil(len(x) / MAX_DATE_TICKS))
    ax.set_xticks(x[::step], [d.strftime("%d/%m") for d in data.days[::step]], fontsize=8)
    ax.set_xlim(-0.6, len(x) - 0.4)
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_ylim(0, max(max(bottom, default=0) * 1.25, 1))
    if handles:
        ax.legend(handles=handles, loc="upper left", fontsize=8, frameon=False, ncols=5)


def _areas(ax, data: ChartData) -> None:
    ax.axis("off")
    ax.text(0, 1, data.labels.get("areas", ""), transform=ax.transAxes, ha="left", va="top", fontsize=9,
            linespacing=1.5, family="DejaVu Sans")


def _map(ax, cax, data: ChartData) -> None:
    from matplotlib.collections import LineCollection

    min_lat, min_lon, max_lat, max_lon = data.bbox
    # The boundary above the points, so that a busy area does not hide where it is.
    ax.add_collection(LineCollection([list(ring) for ring in data.outline], colors="#455a64", linewidths=0.5,
                                     zorder=4))
    inside = [p for p in data.points if min_lat <= p.lat <= max_lat and min_lon <= p.lon <= max_lon]
    if inside:
        top = max(p.count for p in inside)
        sizes = [6 + 110 * math.sqrt(p.count / top) for p in inside]
        dots = ax.scatter([p.lon for p in inside], [p.lat for p in inside], s=sizes, c=[p.count for p in inside],
                          cmap="YlOrRd", vmin=0, vmax=top, alpha=0.85, linewidths=0, zorder=3)
        bar = ax.figure.colorbar(dots, cax=cax)
        bar.set_label(data.labels.get("map_scale", ""), fontsize=8)
        bar.ax.tick_params(labelsize=7)
    else:
        cax.axis("off")
        ax.text(0.5, 0.5, data.labels.get("no_points", ""), transform=ax.transAxes, ha="center", va="center",
                color="#607d8b")
    pad_lat, pad_lon = (max_lat - min_lat) * 0.04, (max_lon - min_lon) * 0.04
    ax.set_xlim(min_lon - pad_lon, max_lon + pad_lon)
    ax.set_ylim(min_lat - pad_lat, max_lat + pad_lat)
    # Degrees of longitude shrink with latitude: keep the map's shape true.
    ax.set_aspect(1 / max(0.01, math.cos(math.radians((min_lat + max_lat) / 2))), adjustable="box", anchor="E")
    ax.set_title(data.labels.get("title_map", ""), loc="left", fontsize=12)
    ax.tick_params(labelsize=7)
