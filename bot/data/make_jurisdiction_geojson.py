"""Build an office's jurisdiction GeoJSON (`tangerang.geojson`, `jakarta_selatan.geojson`): its kecamatan.

Offline maintenance tool, not imported by the bot. Run it only when the boundaries must be refreshed:

    git clone https://github.com/cahyadsn/wilayah_boundaries /tmp/wb
    python bot/data/make_jurisdiction_geojson.py /tmp/wb                          # tangerang.geojson
    python bot/data/make_jurisdiction_geojson.py /tmp/wb --area jakarta_selatan   # jakarta_selatan.geojson

Each area is a `Preset` in PRESETS (the kabupaten/kota codes, how many kecamatan each must yield, the
names written into the metadata); another office's area is one more preset.

The source argument is either a work tree of that repository or its bare git directory (the files are
then read with `git show HEAD:<path>`). The upstream repository is NOT vendored into this project;
only the derived file is committed.

Source
    cahyadsn/wilayah_boundaries (MIT License, Copyright (c) 2024 Cahya DSN), codes per Kepmendagri
    No 300.2.2-2138 Tahun 2025. The upstream kecamatan file (e.g. db/kec/wilayah_boundaries_kec_36.sql)
    is far too coarse here (6 to 20 vertices per kecamatan), so the kecamatan are rebuilt from the
    desa/kelurahan polygons, which carry the detailed boundaries:
      tangerang
        db/kel/36/wilayah_boundaries_kel_36.03.sql   Kabupaten Tangerang   (274 desa/kelurahan)
        db/kel/36/wilayah_boundaries_kel_36.71.sql   Kota Tangerang        (104 kelurahan)
        db/kel/36/wilayah_boundaries_kel_36.74.sql   Kota Tangerang Selatan (54 kelurahan)
      jakarta_selatan
        db/kel/31/wilayah_boundaries_kel_31.74.sql   Kota Administrasi Jakarta Selatan (65 kelurahan)
    Kecamatan names come from db/kec/wilayah_boundaries_kec_<province>.sql, kabupaten/kota names from
    db/kab/wilayah_boundaries_kab_<province>.sql. Each file is a MySQL `INSERT INTO wilayah_boundaries
    (kode,nama,lat,lng,path)`; `path` is a JSON (Multi)Polygon whose points are [lat, lng] (note the
    order: GeoJSON wants [lon, lat], and this script swaps them).

Filter
    desa codes starting with the preset's kabupaten/kota codes, grouped by the first three code
    segments (e.g. 36.71.06 = Ciledug). tangerang: 36.03 (Kab. Tangerang), 36.71 (Kota Tangerang),
    36.74 (Kota Tangerang Selatan): 29 + 13 + 7 = 49. jakarta_selatan: 31.74: 10.

Processing (needs shapely >= 2.2 with GEOS >= 3.14; acceptable because this is an offline tool, the
bot itself reads the result with the standard library only)
    1. coverage_clean of the desa polygons: overlaps resolved, gaps narrower than GAP_WIDTH merged
       into the neighbour with the longest shared border, shared edges made identical;
    2. per kecamatan: union of its desa (coverage_union), holes < MIN_HOLE_DEG2 filled, parts
       < MIN_PART_DEG2 dropped (slivers, not real exclaves);
    3. coverage_simplify with TOLERANCE: a topology-preserving simplification (Visvalingam-Whyatt on
       the shared edges, computed once per edge) chosen instead of per-polygon Douglas-Peucker, because
       simplifying each kecamatan on its own opens gaps and overlaps along common borders, and a point
       in such a gap would wrongly read as "outside the jurisdiction";
    4. coordinates on a 1e-5 degree grid (5 decimals, about 1 m): the cleaned desa are snapped to it
       before simplifying, so neighbours still share identical edges; validity and the coverage (no
       overlaps) are re-checked at the end.
    The script prints (and records in the metadata) how far the simplified borders stray from the
    source borders at most.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import shapely
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.polygon import orient

SOURCE_REPO = "https://github.com/cahyadsn/wilayah_boundaries"


@dataclass(frozen=True)
class Preset:
    """One office's area: which kabupaten/kota (codes) and how many kecamatan each must yield."""

    key: str  # --area
    output: str  # file name next to this script
    name: str  # metadata.name: what the bot calls the area when no kabupaten/kota is known
    title: str
    description: str
    expected_kecamatan: dict[str, int]  # kabupaten/kota code -> kecamatan count (a sanity check)

    @property
    def province(self) -> str:
        return next(iter(self.expected_kecamatan))[:2]

    @property
    def kab_file(self) -> str:
        return f"db/kab/wilayah_boundaries_kab_{self.province}.sql"

    @property
    def kec_file(self) -> str:
        return f"db/kec/wilayah_boundaries_kec_{self.province}.sql"

    @property
    def kel_files(self) -> dict[str, str]:
        return {c: f"db/kel/{self.province}/wilayah_boundaries_kel_{c}.sql" for c in self.expected_kecamatan}


PRESETS = {
    "tangerang": Preset(
        key="tangerang",
        output="tangerang.geojson",
        name="Tangerang",
        title="Wilayah kerja Kantor Imigrasi Tangerang",
        description="Kecamatan of Kota Tangerang, Kabupaten Tangerang and Kota Tangerang Selatan "
        "(Provinsi Banten); coordinates [lon, lat], WGS84.",
        expected_kecamatan={"36.03": 29, "36.71": 13, "36.74": 7},
    ),
    "jakarta_selatan": Preset(
        key="jakarta_selatan",
        output="jakarta_selatan.geojson",
        name="Jakarta Selatan",
        title="Wilayah kerja Kantor Imigrasi Jakarta Selatan",
        description="Kecamatan of Kota Administrasi Jakarta Selatan (Provinsi DKI Jakarta); "
        "coordinates [lon, lat], WGS84.",
        expected_kecamatan={"31.74": 10},
    ),
}

GAP_WIDTH = 0.0005  # degrees (~55 m): gaps between desa narrower than this are slivers
MIN_HOLE_DEG2 = 4e-6  # ~0.05 km2: smaller holes inside a kecamatan are slivers between desa
MIN_PART_DEG2 = 1e-6  # ~0.012 km2: smaller detached parts are slivers
TOLERANCE = 0.002  # degrees; coverage_simplify: about the sqrt of the area of removed triangles
DECIMALS = 5

LICENSE_TEXT = """MIT License

Copyright (c) 2024 Cahya DSN

Permission is hereby granted, free of charge, to any person obtaining a copy of this software and \
associated documentation files (the "Software"), to deal in the Software without restriction, including \
without limitation the rights to use, copy, modify, merge, publish, distribute, sublicense, and/or sell \
copies of the Software, and to permit persons to whom the Software is furnished to do so, subject to the \
following conditions:

The above copyright notice and this permission notice shall be included in all copies or substantial \
portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT \
LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO \
EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER \
IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE \
USE OR OTHER DEALINGS IN THE SOFTWARE."""

# One VALUES tuple: ('36.71.06.1001','Name',lat,lng,'[[...]]')
ROW = re.compile(
    r"\('(?P<kode>[0-9.]+)','(?P<nama>(?:[^']|'')*)',\s*(?P<lat>[^,]+),\s*(?P<lng>[^,]+),\s*'(?P<path>\[[^']*\])'\)"
)


class Source:
    """Reads files from a work tree or, failing that, from a (bare) git directory's HEAD."""

    def __init__(self, root: Path, probe: str):
        self.root = root
        self.is_tree = (root / probe).is_file()
        if not self.is_tree and not (root / "HEAD").is_file() and not (root / ".git").exists():
            sys.exit(f"{root} is neither a work tree nor a git directory of {SOURCE_REPO}")

    def read(self, rel: str) -> str:
        if self.is_tree:
            return (self.root / rel).read_text(encoding="utf-8")
        return self._git("show", f"HEAD:{rel}")

    def commit(self) -> tuple[str | None, str | None]:
        try:
            out = self._git("log", "-1", "--format=%H %cs").split()
            return out[0], out[1]
        except (subprocess.CalledProcessError, OSError, IndexError):
            return None, None

    def _git(self, *args: str) -> str:
        git_dir = self.root / ".git" if (self.root / ".git").exists() else self.root
        return subprocess.run(
            ["git", f"--git-dir={git_dir}", *args], check=True, capture_output=True, text=True
        ).stdout


def rows(sql: str):
    for m in ROW.finditer(sql):
        yield m["kode"], m["nama"].replace("''", "'"), json.loads(m["path"])


def depth(x) -> int:
    d = 0
    while isinstance(x, list):
        x, d = x[0], d + 1
    return d


def to_geometry(path) -> MultiPolygon:
    """Upstream path -> shapely MultiPolygon in (lon, lat). Depth 3 = one polygon, depth 4 = several."""
    polys = [path] if depth(path) == 3 else path
    out = []
    for rings in polys:
        lonlat = [[(p[1], p[0]) for p in ring] for ring in rings]
        poly = Polygon(lonlat[0], lonlat[1:])
        if not poly.is_valid:
            poly = shapely.make_valid(poly)
        out.extend(g for g in getattr(poly, "geoms", [poly]) if g.geom_type == "Polygon" and not g.is_empty)
    return MultiPolygon(out)


def polygons_of(g) -> list[Polygon]:
    if g.is_empty:
        return []
    if g.geom_type == "Polygon":
        return [g]
    return [p for part in getattr(g, "geoms", []) for p in polygons_of(part)]


def tidy(g) -> MultiPolygon:
    """Fill sliver holes, drop sliver parts."""
    kept = []
    for p in polygons_of(g):
        if p.area < MIN_PART_DEG2:
            continue
        holes = [h for h in p.interiors if Polygon(h).area >= MIN_HOLE_DEG2]
        kept.append(Polygon(p.exterior, holes))
    return MultiPolygon(kept)


def rounded(g) -> MultiPolygon:
    polys = []
    for p in polygons_of(g):
        ext = [(round(x, DECIMALS), round(y, DECIMALS)) for x, y in p.exterior.coords]
        holes = [[(round(x, DECIMALS), round(y, DECIMALS)) for x, y in h.coords] for h in p.interiors]
        q = Polygon(ext, holes)
        if not q.is_valid:
            q = shapely.make_valid(q)
        polys.extend(x for x in polygons_of(q) if x.area > 0)
    return MultiPolygon(polys)


def geometry_json(g: MultiPolygon) -> dict:
    """Plain GeoJSON lists of [lon, lat]; exterior rings counter-clockwise, holes clockwise (RFC 7946)."""

    def poly(p: Polygon) -> list:
        p = orient(p, 1.0)
        return [[list(c) for c in p.exterior.coords]] + [[list(c) for c in h.coords] for h in p.interiors]

    if len(g.geoms) == 1:
        return {"type": "Polygon", "coordinates": poly(g.geoms[0])}
    return {"type": "MultiPolygon", "coordinates": [poly(p) for p in g.geoms]}


def border_shift(original, simplified) -> float:
    """Largest distance (degrees) from any point of the simplified border to the original border.

    A point classified differently by the two versions lies between the two borders, so this bounds
    how far from the true border a wrong answer can occur. (A symmetric Hausdorff distance would also
    count thin spikes that were cut off, whose points all lie within metres of the true border.)
    """
    pts = shapely.points(shapely.get_coordinates(shapely.segmentize(simplified.boundary, 0.0002)))
    return float(shapely.distance(pts, original.boundary).max())


def build(src: Source, tolerance: float, preset: Preset) -> dict:
    kel_files = preset.kel_files
    kab_names = {k: n for k, n, _ in rows(src.read(preset.kab_file)) if k in kel_files}
    kec_names = {k: n for k, n, _ in rows(src.read(preset.kec_file)) if k[:5] in kel_files}

    codes, geoms = [], []
    for prefix, rel in kel_files.items():
        for kode, _name, path in rows(src.read(rel)):
            if kode.startswith(prefix + "."):
                codes.append(kode)
                geoms.append(to_geometry(path))
    print(f"desa/kelurahan read: {len(geoms)}", file=sys.stderr)

    # Snap to the output grid now (before and after cleaning, which may add nodes): the simplification
    # below only drops vertices, so the final rounding cannot move a shared vertex differently for
    # two neighbours.
    grid = 10.0**-DECIMALS
    cleaned = shapely.coverage_clean(shapely.set_precision(geoms, grid), gap_width=GAP_WIDTH)
    cleaned = shapely.set_precision(cleaned, grid)
    if not shapely.coverage_is_valid(cleaned):
        raise SystemExit("desa/kelurahan polygons still overlap after coverage_clean")
    by_kec: dict[str, list] = defaultdict(list)
    for kode, g in zip(codes, cleaned):
        if not g.is_empty:
            by_kec[kode[:8]].append(g)

    kec_codes = sorted(by_kec)
    dissolved = [tidy(shapely.coverage_union_all(by_kec[k])) for k in kec_codes]
    simplified = shapely.coverage_simplify(dissolved, tolerance)

    features, worst = [], 0.0
    for kode, orig, simp in zip(kec_codes, dissolved, simplified):
        g = rounded(tidy(simp))
        if not g.is_valid or g.is_empty:
            raise SystemExit(f"kecamatan {kode} is invalid or empty after simplification")
        worst = max(worst, border_shift(orig, g))
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "kecamatan": kec_names.get(kode, kode),
                    "kabupaten_kota": kab_names[kode[:5]],
                    "kode": kode,
                },
                "geometry": geometry_json(g),
            }
        )

    holes = sum(len(p.interiors) for f in features for p in polygons_of(shapely.from_geojson(json.dumps(f["geometry"]))))
    counts = defaultdict(int)
    for k in kec_codes:
        counts[k[:5]] += 1
    for prefix, expected in preset.expected_kecamatan.items():
        if counts[prefix] != expected:
            raise SystemExit(f"{kab_names.get(prefix, prefix)}: {counts[prefix]} kecamatan, expected {expected}")
    valid_cov = bool(shapely.coverage_is_valid([shapely.from_geojson(json.dumps(f["geometry"])) for f in features]))
    if not valid_cov:
        raise SystemExit("the simplified kecamatan overlap or do not share edges exactly; try another --tolerance")
    print(
        f"kecamatan: {len(features)}; simplified border at most {worst:.5f} deg (~{worst * 111_000:.0f} m) "
        f"from the source border; holes kept: {holes}; coverage valid: {valid_cov}",
        file=sys.stderr,
    )

    commit, commit_date = src.commit()
    return {
        "type": "FeatureCollection",
        "metadata": {
            "name": preset.name,
            "title": preset.title,
            "description": preset.description,
            "source": {
                "dataset": "wilayah_boundaries (batas wilayah administrasi pemerintahan Indonesia, "
                "Kepmendagri No 300.2.2-2138 Tahun 2025)",
                "repository": SOURCE_REPO,
                "files": list(kel_files.values()) + [preset.kec_file, preset.kab_file],
                "commit": commit,
                "commit_date": commit_date,
                "license": "MIT",
                "copyright": "Copyright (c) 2024 Cahya DSN",
                "license_text": LICENSE_TEXT,
            },
            "date_taken": date.today().isoformat(),
            "processing": (
                f"desa/kelurahan polygons with codes {', '.join(c + '.*' for c in kel_files)} dissolved into kecamatan; "
                f"GEOS coverage_clean (gap_width {GAP_WIDTH} deg); sliver holes < {MIN_HOLE_DEG2} deg2 filled "
                f"and parts < {MIN_PART_DEG2} deg2 dropped; topology-preserving GEOS coverage_simplify "
                f"(Visvalingam-Whyatt, tolerance {tolerance} deg) instead of per-polygon Douglas-Peucker so "
                f"neighbouring kecamatan keep identical borders; coordinates rounded to {DECIMALS} decimals; "
                f"simplified borders stay within {worst * 111_000:.0f} m of the source borders"
            ),
            "generator": f"bot/data/make_jurisdiction_geojson.py --area {preset.key}",
        },
        "features": features,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("source", type=Path, help="work tree or git directory of cahyadsn/wilayah_boundaries")
    ap.add_argument("--area", choices=sorted(PRESETS), default="tangerang")
    ap.add_argument("-o", "--output", type=Path, help="default: the preset's file next to this script")
    ap.add_argument("--tolerance", type=float, default=TOLERANCE)
    args = ap.parse_args(argv)
    preset = PRESETS[args.area]
    args.output = args.output or Path(__file__).with_name(preset.output)

    fc = build(Source(args.source, preset.kec_file), args.tolerance, preset)
    text = json.dumps(fc, ensure_ascii=False, separators=(",", ":"))
    # One feature per line keeps diffs of a future refresh readable.
    head, _, _ = text.partition('"features":[')
    body = ",\n".join(json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in fc["features"])
    args.output.write_text(head + '"features":[\n' + body + "\n]}\n", encoding="utf-8")
    json.loads(args.output.read_text(encoding="utf-8"))  # round-trip check
    print(f"wrote {args.output} ({args.output.stat().st_size / 1024:.0f} KB)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
