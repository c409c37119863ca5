"""The /stats chart: a valid PNG of the promised size, whatever the data (none, a day, a year)."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from PIL import Image

from bot.charts import CHART_SIZE, OUTCOME_COLOURS, ChartData, GridPoint, render_png, render_png_async
from bot.geo import Jurisdiction

J = Jurisdiction.default()


def data(days: int, points: list[GridPoint]) -> ChartData:
    first = date(2026, 1, 1)
    day_list = [first + timedelta(days=i) for i in range(days)]
    per_day = {o: [(i * 7 + k) % 5 for i in range(days)] for k, o in enumerate(OUTCOME_COLOURS)}
    return ChartData(day_list, per_day, points, J.outline(), J.bbox,
                     {"title_days": "Laporan per hari", "title_map": "Lokasi", "areas": "Ciledug: 3"})


def image(png: bytes) -> Image.Image:
    img = Image.open(io.BytesIO(png))
    img.verify()  # raises on a truncated or corrupt file
    return Image.open(io.BytesIO(png))


@pytest.mark.parametrize("days", [1, 30, 366])
def test_the_chart_is_a_png_of_the_promised_size(days):
    points = [GridPoint(-6.18 + i / 100, 106.63, i + 1) for i in range(10)]
    img = image(render_png(data(days, points)))
    assert img.format == "PNG" and img.size == CHART_SIZE == (1200, 900)


def test_no_reports_still_draws_the_outline():
    empty = ChartData([date(2026, 1, 1)], {}, [], J.outline(), J.bbox, {"no_points": "Tidak ada"})
    img = image(render_png(empty)).convert("RGB")
    assert img.size == CHART_SIZE
    # Not a blank canvas: the boundary lines are drawn in the map's half.
    lower = img.crop((0, 450, 1200, 900))
    assert len(lower.getcolors(maxcolors=1 << 16) or ()) > 10


async def test_rendering_off_the_event_loop_gives_the_same_picture():
    d = data(7, [GridPoint(-6.2, 106.6, 3)])
    assert image(await render_png_async(d)).size == CHART_SIZE
