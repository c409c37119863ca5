"""Build `tangerang.geojson` (the name its metadata records): now `make_jurisdiction_geojson.py --area
tangerang`, which builds any office's area; this stays so the recorded command keeps working.

    python bot/data/make_tangerang_geojson.py /tmp/wb    # = make_jurisdiction_geojson.py /tmp/wb --area tangerang
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from make_jurisdiction_geojson import main  # noqa: E402

if __name__ == "__main__":
    raise SystemExit(main([*sys.argv[1:], "--area", "tangerang"]))
