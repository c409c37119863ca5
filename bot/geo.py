"""Where is a reported location? Pure geometry on the office's jurisdiction; no Telegram, no database.

The jurisdiction is a GeoJSON FeatureCollection of (Multi)Polygons, one feature per kecamatan, with
properties `kecamatan` and `kabupaten_kota`. The packaged `bot/data/tangerang.geojson` covers Kota
Tangerang, Kabupaten Tangerang and Kota Tangerang Selatan; its `metadata` names the source and the
simplification (borders are accurate to a few hundred metres, so a point right next to a border may
be attributed to the neighbouring kecamatan).

Point-in-polygon is plain ray casting (even-odd rule, holes honoured) behind a bounding-box check per
feature and per polygon part, which keeps a lookup well under a millisecond for ~50 kecamatan.
GeoJSON stores positions as [lon, lat]; every public function here takes (lat, lon), as people and
Telegram write them.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

DEFAULT_NAME = "Tangerang"
DEFAULT_PACKAGE = "bot.data"
DEFAULT_RESOURCE = "tangerang.geojson"

EARTH_RADIUS_M = 6_371_008.8  # IUGG mean radius

Point = tuple[float, float]  # (lon, lat), GeoJSON order
Ring = tuple[Point, ...]


class JurisdictionError(Exception):
    """The jurisdiction file cannot be used; the message is a sentence an operator can act on."""


@dataclass(frozen=True)
class Area:
    kecamatan: str | None
    kabupaten_kota: str

    def label(self) -> str:
        """'Ciledug, Kota Tangerang', or just 'Kota Tangerang' when the kecamatan is unknown."""
        return f"{self.kecamatan}, {self.kabupaten_kota}" if self.kecamatan else self.kabupaten_kota


# --------------------------------------------------------------------------- plain helpers


def _is_number(x: object) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def valid_coordinates(lat: object, lon: object) -> bool:
    """True for finite numbers with -90 <= lat <= 90 and -180 <= lon <= 180 (bools and strings are not)."""
    return _is_number(lat) and _is_number(lon) and -90 <= lat <= 90 and -180 <= lon <= 180  # type: ignore[operator]


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres on a sphere of the Earth's mean radius (error < 0.5%)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def map_link(lat: float, lon: float) -> str:
    """'https://www.google.com/maps?q=-6.17830,106.63190' (5 decimals, about 1 m)."""
    if not valid_coordinates(lat, lon):
        raise ValueError(f"not a latitude/longitude pair: {lat!r}, {lon!r}")
    # `+ 0.0` turns a rounded -0.0 into 0.0, so a point near the equator never reads "-0.00000".
    return f"https://www.google.com/maps?q={round(lat, 5) + 0.0:.5f},{round(lon, 5) + 0.0:.5f}"


def _ring_contains(ring: Ring, x: float, y: float) -> bool:
    """Even-odd ray casting towards +x; the ring may or may not repeat its first point."""
    inside = False
    xj, yj = ring[-1]
    for xi, yi in ring:
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            inside = not inside
        xj, yj = xi, yi
    return inside


# --------------------------------------------------------------------------- geometry records


@dataclass(frozen=True)
class _Polygon:
    exterior: Ring
    holes: tuple[Ring, ...]
    bbox: tuple[float, float, float, float]  # min_lon, min_lat, max_lon, max_lat

    def contains(self, x: float, y: float) -> bool:
        min_x, min_y, max_x, max_y = self.bbox
        if not (min_x <= x <= max_x and min_y <= y <= max_y):
            return False
        if not _ring_contains(self.exterior, x, y):
            return False
        return not any(_ring_contains(hole, x, y) for hole in self.holes)


@dataclass(frozen=True)
class _Feature:
    area: Area
    polygons: tuple[_Polygon, ...]
    bbox: tuple[float, float, float, float]

    def contains(self, x: float, y: float) -> bool:
        min_x, min_y, max_x, max_y = self.bbox
        if not (min_x <= x <= max_x and min_y <= y <= max_y):
            return False
        return any(p.contains(x, y) for p in self.polygons)


def _union_bbox(boxes: Iterable[tuple[float, float, float, float]]) -> tuple[float, float, float, float]:
    boxes = list(boxes)
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


class _Parser:
    """GeoJSON -> _Feature records; every complaint names the source and the feature."""

    def __init__(self, source: str):
        self.source = source

    def fail(self, what: str) -> JurisdictionError:
        return JurisdictionError(f"Jurisdiction file {self.source}: {what}")

    def collection(self, data: Any) -> tuple[list[_Feature], dict]:
        if not isinstance(data, dict):
            raise self.fail(f"expected a GeoJSON FeatureCollection object, found a JSON {type(data).__name__}.")
        kind = data.get("type")
        if kind == "Feature":
            raw_features = [data]
        elif kind == "FeatureCollection":
            raw_features = data.get("features")
            if not isinstance(raw_features, list):
                raise self.fail('the FeatureCollection has no "features" list.')
        else:
            raise self.fail(f'expected "type": "FeatureCollection", found {kind!r}.')
        metadata = data.get("metadata") if isinstance(data.get("metadata"), dict) else {}
        fallback_name = metadata.get("name") if isinstance(metadata.get("name"), str) else DEFAULT_NAME

        features = []
        for index, raw in enumerate(raw_features, start=1):
            feature = self.feature(index, raw, fallback_name)
            if feature is not None:
                features.append(feature)
        if not features:
            raise self.fail(
                "it contains no Polygon or MultiPolygon feature, so no location could ever be inside the "
                "jurisdiction. Use the packaged bot/data/tangerang.geojson or a GeoJSON file of polygons."
            )
        return features, metadata

    def feature(self, index: int, raw: Any, fallback_name: str) -> _Feature | None:
        if not isinstance(raw, dict) or raw.get("type") != "Feature":
            raise self.fail(f'feature {index} is not a GeoJSON object with "type": "Feature".')
        props = raw.get("properties") or {}
        if not isinstance(props, dict):
            raise self.fail(f"feature {index}: properties must be an object.")
        label = f"feature {index}" + (f" ({props['kecamatan']})" if isinstance(props.get("kecamatan"), str) else "")

        geometry = raw.get("geometry")
        if geometry is None:
            return None
        if not isinstance(geometry, dict) or "type" not in geometry:
            raise self.fail(f"{label}: geometry must be a GeoJSON geometry object or null.")
        kind = geometry["type"]
        coords = geometry.get("coordinates")
        if kind == "Polygon":
            polygons = [self.polygon(label, coords)]
        elif kind == "MultiPolygon":
            if not isinstance(coords, list) or not coords:
                raise self.fail(f"{label}: a MultiPolygon needs a non-empty list of polygons.")
            polygons = [self.polygon(label, p) for p in coords]
        else:
            return None  # points, lines, ...: not areas; ignored

        kecamatan = props.get("kecamatan")
        kabupaten_kota = props.get("kabupaten_kota")
        if kecamatan is not None and not isinstance(kecamatan, str):
            raise self.fail(f"{label}: property kecamatan must be a string or null.")
        if kabupaten_kota is not None and not isinstance(kabupaten_kota, str):
            raise self.fail(f"{label}: property kabupaten_kota must be a string.")
        area = Area(kecamatan=kecamatan or None, kabupaten_kota=kabupaten_kota or fallback_name)
        return _Feature(area, tuple(polygons), _union_bbox(p.bbox for p in polygons))

    def polygon(self, label: str, coords: Any) -> _Polygon:
        if not isinstance(coords, list) or not coords:
            raise self.fail(f"{label}: a Polygon needs a non-empty list of linear rings.")
        rings = [self.ring(label, r) for r in coords]
        xs = [x for x, _ in rings[0]]
        ys = [y for _, y in rings[0]]
        return _Polygon(rings[0], tuple(rings[1:]), (min(xs), min(ys), max(xs), max(ys)))

    def ring(self, label: str, coords: Any) -> Ring:
        if not isinstance(coords, list):
            raise self.fail(f"{label}: a linear ring must be a list of [lon, lat] positions.")
        points = []
        for pos in coords:
            if not (isinstance(pos, list) and len(pos) >= 2 and _is_number(pos[0]) and _is_number(pos[1])):
                raise self.fail(f"{label}: {pos!r} is not a [lon, lat] position.")
            lon, lat = float(pos[0]), float(pos[1])
            if not valid_coordinates(lat, lon):
                raise self.fail(
                    f"{label}: position {pos!r} is not a longitude/latitude pair "
                    "(GeoJSON writes [lon, lat], longitude first)."
                )
            points.append((lon, lat))
        if len(points) > 1 and points[0] == points[-1]:
            points.pop()  # ray casting closes the ring itself
        if len(set(points)) < 3:
            raise self.fail(f"{label}: a linear ring needs at least 3 distinct positions.")
        return tuple(points)


# --------------------------------------------------------------------------- the jurisdiction


class Jurisdiction:
    """The office's area: which kecamatan (if any) holds a point."""

    def __init__(self, features: Iterable[_Feature], name: str = DEFAULT_NAME, metadata: Mapping | None = None):
        self._features = tuple(features)
        if not self._features:
            raise JurisdictionError("A jurisdiction needs at least one polygon.")
        self.name = name
        self.metadata = dict(metadata or {})
        min_lon, min_lat, max_lon, max_lat = _union_bbox(f.bbox for f in self._features)
        self._bbox = (min_lon, min_lat, max_lon, max_lat)

    # -- loading

    @classmethod
    def from_mapping(cls, data: Any, source: str = "<in memory>") -> Jurisdiction:
        """From already-parsed GeoJSON; `source` only names it in error messages."""
        features, metadata = _Parser(source).collection(data)
        name = metadata.get("name")
        return cls(features, name if isinstance(name, str) and name.strip() else DEFAULT_NAME, metadata)

    @classmethod
    def from_geojson(cls, path: Path | str) -> Jurisdiction:
        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise JurisdictionError(f"Jurisdiction file not found: {path}") from None
        except IsADirectoryError:
            raise JurisdictionError(f"Jurisdiction file {path} is a directory, not a GeoJSON file.") from None
        except UnicodeDecodeError:
            raise JurisdictionError(f"Jurisdiction file {path} is not UTF-8 text; is it really GeoJSON?") from None
        except OSError as exc:
            raise JurisdictionError(f"Cannot read jurisdiction file {path}: {exc.strerror or exc}") from None
        return cls._from_text(text, str(path))

    @classmethod
    def merged(cls, parts: Iterable[Jurisdiction], name: str) -> Jurisdiction:
        """Several offices' areas as one (bot/offices.py): the whole territory a bot serves."""
        parts = list(parts)
        if len(parts) == 1:
            return parts[0]
        return cls((f for j in parts for f in j._features), name)

    @classmethod
    def default(cls) -> Jurisdiction:
        """The packaged Tangerang jurisdiction (bot/data/tangerang.geojson); parsed once, then shared."""
        return _default_jurisdiction()

    @classmethod
    def _from_text(cls, text: str, source: str) -> Jurisdiction:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise JurisdictionError(
                f"Jurisdiction file {source} is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}."
            ) from None
        return cls.from_mapping(data, source)

    # -- queries

    def locate(self, lat: float, lon: float) -> Area | None:
        """The area holding the point, or None outside (or for invalid coordinates).

        A point exactly on a shared border gets one of the adjacent areas.
        """
        if not valid_coordinates(lat, lon):
            return None
        x, y = float(lon), float(lat)
        min_x, min_y, max_x, max_y = self._bbox
        if not (min_x <= x <= max_x and min_y <= y <= max_y):
            return None
        for feature in self._features:
            if feature.contains(x, y):
                return feature.area
        return None

    def contains(self, lat: float, lon: float) -> bool:
        return self.locate(lat, lon) is not None

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        """(min_lat, min_lon, max_lat, max_lon)."""
        min_lon, min_lat, max_lon, max_lat = self._bbox
        return (min_lat, min_lon, max_lat, max_lon)

    @property
    def areas(self) -> tuple[Area, ...]:
        """Every area once, in file order."""
        return tuple(dict.fromkeys(f.area for f in self._features))

    def outline(self) -> list[list[tuple[float, float]]]:
        """Closed exterior rings as (lon, lat), one per polygon part (internal borders included)."""
        return [list(p.exterior) + [p.exterior[0]] for f in self._features for p in f.polygons]

    def __repr__(self) -> str:
        return f"Jurisdiction({self.name!r}, {len(self._features)} features)"


@lru_cache(maxsize=1)
def _default_jurisdiction() -> Jurisdiction:
    label = f"{DEFAULT_PACKAGE.replace('.', '/')}/{DEFAULT_RESOURCE} (packaged)"
    try:
        text = resources.files(DEFAULT_PACKAGE).joinpath(DEFAULT_RESOURCE).read_text(encoding="utf-8")
    except (FileNotFoundError, ModuleNotFoundError):
        raise JurisdictionError(
            f"The packaged boundary file {label} is missing; when installing, include *.geojson as package "
            "data of bot.data (pyproject.toml: [tool.setuptools.package-data] \"bot.data\" = [\"*.geojson\"])."
        ) from None
    return Jurisdiction._from_text(text, label)
