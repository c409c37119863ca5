"""bot.geo: the packaged Tangerang jurisdiction, point-in-polygon, loading errors, small helpers."""

from __future__ import annotations

import json
import math
import timeit

import pytest

from bot.geo import Area, Jurisdiction, JurisdictionError, haversine_m, map_link, valid_coordinates


@pytest.fixture(scope="module")
def tangerang() -> Jurisdiction:
    return Jurisdiction.default()


# --------------------------------------------------------------------------- packaged data

INSIDE = [
    # (what, lat, lon, kabupaten_kota, kecamatan)
    ("Bandara Soekarno-Hatta", -6.1256, 106.6559, "Kota Tangerang", "Benda"),
    ("Tangerang city centre / city hall", -6.1783, 106.6319, "Kota Tangerang", "Tangerang"),
    ("Tigaraksa", -6.2650, 106.4800, "Kabupaten Tangerang", "Tigaraksa"),
    ("Ciledug", -6.2300, 106.7100, "Kota Tangerang", "Ciledug"),
    ("Serpong", -6.3200, 106.6650, "Kota Tangerang Selatan", "Serpong"),
    ("Lengkong Gudang, Serpong", -6.2900, 106.6650, "Kota Tangerang Selatan", "Serpong"),
    ("Pamulang", -6.3428, 106.7383, "Kota Tangerang Selatan", "Pamulang"),
    ("Balaraja", -6.2000, 106.4600, "Kabupaten Tangerang", "Balaraja"),
    # "BSD City" as given (-6.3020, 106.6520) is BSD Green Office Park in desa Sampora, kecamatan Cisauk,
    # i.e. Kabupaten Tangerang; the Serpong part of BSD lies east of it (see the two Serpong points).
    ("BSD Green Office Park", -6.3020, 106.6520, "Kabupaten Tangerang", "Cisauk"),
]

OUTSIDE = [
    ("Jakarta, Monas", -6.1754, 106.8272),
    ("Serang city", -6.1200, 106.1500),
    ("Bogor", -6.5950, 106.8166),
    ("Jakarta, Kalideres", -6.1400, 106.7050),
    ("Depok", -6.4025, 106.7942),
    ("Java Sea north of Tangerang", -6.0200, 106.6000),
]


@pytest.mark.parametrize(("what", "lat", "lon", "kabkota", "kecamatan"), INSIDE, ids=[p[0] for p in INSIDE])
def test_known_points_inside(tangerang, what, lat, lon, kabkota, kecamatan):
    area = tangerang.locate(lat, lon)
    assert area == Area(kecamatan, kabkota), what
    assert tangerang.contains(lat, lon)


@pytest.mark.parametrize(("what", "lat", "lon"), OUTSIDE, ids=[p[0] for p in OUTSIDE])
def test_known_points_outside(tangerang, what, lat, lon):
    assert tangerang.locate(lat, lon) is None, what
    assert not tangerang.contains(lat, lon)


def test_lat_lon_order_matters(tangerang):
    # The airport with lat and lon swapped is somewhere in the Indian Ocean... and must not match.
    assert tangerang.locate(106.6559, -6.1256) is None


def test_packaged_file_has_all_kecamatan(tangerang):
    per_kabkota: dict[str, int] = {}
    for area in tangerang.areas:
        assert area.kecamatan
        per_kabkota[area.kabupaten_kota] = per_kabkota.get(area.kabupaten_kota, 0) + 1
    assert per_kabkota == {"Kota Tangerang": 13, "Kota Tangerang Selatan": 7, "Kabupaten Tangerang": 29}


def test_packaged_metadata(tangerang):
    assert tangerang.name == "Tangerang"
    source = tangerang.metadata["source"]
    assert source["repository"].startswith("https://github.com/")
    assert source["license"] == "MIT"
    assert tangerang.metadata["date_taken"]
    assert "simplif" in tangerang.metadata["processing"]


def test_bbox_and_outline(tangerang):
    min_lat, min_lon, max_lat, max_lon = tangerang.bbox
    assert -6.45 < min_lat < max_lat < -5.9
    assert 106.3 < min_lon < max_lon < 106.85
    rings = tangerang.outline()
    assert len(rings) >= 49
    for ring in rings:
        assert ring[0] == ring[-1] and len(ring) >= 4
        assert all(min_lon <= lon <= max_lon and min_lat <= lat <= max_lat for lon, lat in ring)


def test_default_is_loaded_once(tangerang):
    assert Jurisdiction.default() is tangerang


def test_lookup_is_fast(tangerang):
    points = [(p[1], p[2]) for p in INSIDE] + [(p[1], p[2]) for p in OUTSIDE]
    seconds = timeit.timeit(lambda: [tangerang.locate(lat, lon) for lat, lon in points], number=20)
    per_lookup_ms = seconds / (20 * len(points)) * 1000
    assert per_lookup_ms < 5  # typically ~0.05-0.2 ms; generous for slow CI machines


def test_invalid_coordinates_are_never_inside(tangerang):
    for lat, lon in [(math.nan, 106.6), (-6.2, math.inf), (-91, 106.6), (-6.2, 181), (None, 106.6)]:
        assert tangerang.locate(lat, lon) is None  # type: ignore[arg-type]
        assert not tangerang.contains(lat, lon)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- synthetic files


def _write(tmp_path, data, name="j.geojson"):
    path = tmp_path / name
    path.write_text(json.dumps(data) if not isinstance(data, str) else data, encoding="utf-8")
    return path


def _square(x0, y0, x1, y1):
    return [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]


def test_polygon_with_hole_and_multipolygon(tmp_path):
    data = {
        "type": "FeatureCollection",
        "metadata": {"name": "Testland"},
        "features": [
            {
                "type": "Feature",
                "properties": {"kecamatan": "Donut", "kabupaten_kota": "Kota Uji"},
                # 0..10 square with a 4..6 hole (the hole ring given clockwise, as RFC 7946 wants)
                "geometry": {"type": "Polygon", "coordinates": [_square(0, 0, 10, 10), _square(4, 4, 6, 6)[::-1]]},
            },
            {
                "type": "Feature",
                "properties": {"kecamatan": "Islands", "kabupaten_kota": "Kabupaten Uji"},
                "geometry": {
                    "type": "MultiPolygon",
                    "coordinates": [[_square(20, 0, 21, 1)], [_square(30, 0, 31, 1)]],
                },
            },
            {"type": "Feature", "properties": {"name": "a label"}, "geometry": {"type": "Point", "coordinates": [5, 5]}},
            {"type": "Feature", "properties": {"kabupaten_kota": "Kota Tanpa Geometri"}, "geometry": None},
        ],
    }
    j = Jurisdiction.from_geojson(_write(tmp_path, data))
    assert j.name == "Testland"
    assert j.locate(lat=1, lon=1) == Area("Donut", "Kota Uji")
    assert j.locate(lat=5, lon=5) is None  # in the hole
    assert j.locate(lat=5, lon=3.9) == Area("Donut", "Kota Uji")
    assert j.locate(lat=0.5, lon=20.5) == Area("Islands", "Kabupaten Uji")
    assert j.locate(lat=0.5, lon=30.5) == Area("Islands", "Kabupaten Uji")
    assert j.locate(lat=0.5, lon=25) is None  # between the islands, inside the overall bbox
    assert j.locate(lat=11, lon=5) is None
    assert j.bbox == (0, 0, 10, 31)
    assert len(j.outline()) == 3
    assert j.areas == (Area("Donut", "Kota Uji"), Area("Islands", "Kabupaten Uji"))


def test_shared_border_gives_an_adjacent_area(tmp_path):
    data = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"kecamatan": "West", "kabupaten_kota": "K"},
             "geometry": {"type": "Polygon", "coordinates": [_square(0, 0, 1, 1)]}},
            {"type": "Feature", "properties": {"kecamatan": "East", "kabupaten_kota": "K"},
             "geometry": {"type": "Polygon", "coordinates": [_square(1, 0, 2, 1)]}},
        ],
    }
    j = Jurisdiction.from_geojson(_write(tmp_path, data))
    assert j.name == "Tangerang"  # no metadata: the default name
    assert j.locate(0.5, 1.0) in (Area("West", "K"), Area("East", "K"))
    assert j.locate(0.5, 0.999999) == Area("West", "K")
    assert j.locate(0.5, 1.000001) == Area("East", "K")


def test_kabupaten_level_fallback_file(tmp_path):
    data = {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "properties": {"kecamatan": None, "kabupaten_kota": "Kota Tangerang"},
                      "geometry": {"type": "Polygon", "coordinates": [_square(106, -7, 107, -6)]}}],
    }
    area = Jurisdiction.from_geojson(_write(tmp_path, data)).locate(-6.5, 106.5)
    assert area == Area(None, "Kota Tangerang")
    assert area.label() == "Kota Tangerang"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("", "not valid JSON"),
        ("{not json", "not valid JSON"),
        ([1, 2, 3], "expected a GeoJSON FeatureCollection"),
        ({"type": "Point", "coordinates": [1, 2]}, "FeatureCollection"),
        ({"type": "FeatureCollection"}, '"features"'),
        ({"type": "FeatureCollection", "features": []}, "no Polygon or MultiPolygon"),
        (
            {"type": "FeatureCollection", "features": [
                {"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [1, 2]}}]},
            "no Polygon or MultiPolygon",
        ),
        ({"type": "FeatureCollection", "features": ["x"]}, "feature 1"),
        (
            {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"kecamatan": "Benda"},
             "geometry": {"type": "Polygon", "coordinates": [[[106.6, -6.1], [106.7, -6.1]]]}}]},
            "feature 1 (Benda): a linear ring needs at least 3",
        ),
        (
            # lat/lon swapped: -6 is fine as a longitude but 106 is no latitude
            {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {},
             "geometry": {"type": "Polygon", "coordinates": [[[-6.1, 106.6], [-6.2, 106.6], [-6.2, 106.7]]]}}]},
            "longitude first",
        ),
        (
            {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {},
             "geometry": {"type": "Polygon", "coordinates": [[["a", "b"], [1, 2], [2, 3]]]}}]},
            "is not a [lon, lat] position",
        ),
        (
            {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {},
             "geometry": {"type": "MultiPolygon", "coordinates": []}}]},
            "MultiPolygon needs",
        ),
    ],
)
def test_malformed_files_raise_readable_errors(tmp_path, content, expected):
    path = _write(tmp_path, content)
    with pytest.raises(JurisdictionError) as info:
        Jurisdiction.from_geojson(path)
    message = str(info.value)
    assert expected in message
    assert str(path) in message
    assert "Traceback" not in message and "\n" not in message


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(JurisdictionError, match="not found"):
        Jurisdiction.from_geojson(tmp_path / "nope.geojson")
    with pytest.raises(JurisdictionError, match="is a directory"):
        Jurisdiction.from_geojson(tmp_path)


def test_binary_file(tmp_path):
    path = tmp_path / "j.geojson"
    path.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(JurisdictionError, match="not UTF-8"):
        Jurisdiction.from_geojson(path)


# --------------------------------------------------------------------------- helpers


def test_area_label():
    assert Area("Ciledug", "Kota Tangerang").label() == "Ciledug, Kota Tangerang"
    assert Area(None, "Kota Tangerang").label() == "Kota Tangerang"


def test_valid_coordinates():
    assert valid_coordinates(-6.1783, 106.6319)
    assert valid_coordinates(90, 180) and valid_coordinates(-90, -180) and valid_coordinates(0, 0)
    for lat, lon in [(90.0001, 0), (-90.5, 0), (0, 180.01), (0, -181), (math.nan, 0), (0, math.inf),
                     (-math.inf, 0), (True, 0), ("6.1", 106), (None, None)]:
        assert not valid_coordinates(lat, lon), (lat, lon)


def test_haversine():
    assert haversine_m(-6.2, 106.6, -6.2, 106.6) == 0
    # One degree of latitude on the mean-radius sphere: 6371008.8 * pi / 180.
    assert haversine_m(0, 0, 1, 0) == pytest.approx(111_195.08, abs=0.1)
    # Monas -> Soekarno-Hatta airport (these coordinates): 19.73 km on the WGS84 ellipsoid too, to 0.3%.
    d = haversine_m(-6.1754, 106.8272, -6.1256, 106.6559)
    assert d == pytest.approx(19_730, rel=0.01)
    assert d == pytest.approx(haversine_m(-6.1256, 106.6559, -6.1754, 106.8272))
    # Antipodes: half the circumference, no math domain error from rounding.
    assert haversine_m(10, 20, -10, -160) == pytest.approx(math.pi * 6_371_008.8)


def test_map_link():
    assert map_link(-6.1783, 106.6319) == "https://www.google.com/maps?q=-6.17830,106.63190"
    assert map_link(-6.123456789, 106.987654321) == "https://www.google.com/maps?q=-6.12346,106.98765"
    assert map_link(-0.000001, 0) == "https://www.google.com/maps?q=0.00000,0.00000"
    with pytest.raises(ValueError):
        map_link(math.nan, 106.6)
    with pytest.raises(ValueError):
        map_link(106.6, -200)
