"""`sipoa demo` plays its whole script against the fake, exits 0, and its transcript shows what a
person would want to see: the alert in the group with its buttons, the refusal of a non-officer,
the residents' notifications, the statistics."""

from __future__ import annotations

import io
import re
import time

from bot import cli
from bot.demo import run_demo


def test_demo_runs_the_whole_story_quickly(capsys):
    started = time.monotonic()
    assert cli.main(["demo"]) == 0
    elapsed = time.monotonic() - started
    out = capsys.readouterr().out
    assert elapsed < 10, elapsed
    assert "Traceback" not in out

    chats = dict(re.findall(r"^── (.+?) ─+\n(.*?)(?=^── |\Z)", out, flags=re.S | re.M))
    group = next(body for title, body in chats.items() if "officers' group" in title)
    budi = next(body for title, body in chats.items() if title.startswith("Budi"))
    alice = next(body for title, body in chats.items() if title.startswith("Alice"))
    siti = next(body for title, body in chats.items() if title.startswith("Siti"))

    # The alerts arrived in the group, with the officers' buttons, and were edited as they moved on.
    assert "Laporan TNG-2026-000001" in group and "Laporan TNG-2026-000002" in group
    assert "[🙋 Tangani / Take]" in group
    assert "✎ Sipoa edited" in group
    # A group member who is not an officer pressed a button and was refused.
    assert "Rudi taps [🙋 Tangani / Take]" in group
    assert "tidak terdaftar sebagai petugas" in group
    # The residents were told, in their languages.
    assert "TNG-2026-000001" in budi and "sedang ditangani" in budi and "selesai ditindaklanjuti" in budi
    assert "TNG-2026-000002" in alice
    # /laporanku and /stats answered.
    assert "Laporan Anda" in budi
    assert "Statistik laporan" in siti and "Hari ini: 2 laporan" in siti
    assert "Status: baru 0 · ditangani 0 · selesai 1 · laporan palsu 1" in siti
    assert re.search(r"Sampai ditangani: median \d+ mnt, p90 1 j \d+ mnt \(dari 2\)", siti)


def test_transcript_goes_to_the_given_stream():
    buffer = io.StringIO()
    assert run_demo(buffer) == 0
    assert buffer.getvalue().count("── ") >= 4
