"""`sipoa screening evaluate CASES.jsonl`: replay labelled events through the live screening path.

Each report event becomes Reporter/Report/Photo rows in a temporary SQLite database, exactly as a
submit leaves them, and goes through `service.screen_report` (the function create_from_draft calls);
outcome events close reports as officers would. The label is read only for the metrics.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, TextIO

from pydantic import ValidationError

from bot.config import ScreeningSection
from bot.screening.decision import render_reasons
from bot.screening.facts import Outcome, Source
from bot.screening.photos import phash_hex
from bot.screening.service import screen_report
from storage import screening as store
from storage.db import Database
from storage.models import Photo, Report


class CaseError(ValueError):
    """A line of the cases file cannot be replayed; the message names the line."""


@dataclass
class Metrics:
    # (label, decision) → count
    confusion: Counter = field(default_factory=Counter)
    timings_ms: list[float] = field(default_factory=list)

    def count(self, label: str, decision: str) -> int:
        return self.confusion[(label, decision)]

    @property
    def tp(self) -> int:
        return self.count("fake", Outcome.REVIEW) + self.count("fake", Outcome.REJECT)

    @property
    def fp(self) -> int:
        return self.count("genuine", Outcome.REVIEW) + self.count("genuine", Outcome.REJECT)

    @property
    def fn(self) -> int:
        return self.count("fake", Outcome.ACCEPT)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def genuine_rejected(self) -> int:
        return self.count("genuine", Outcome.REJECT)

    def table(self) -> str:
        labels = sorted({lab for lab, _ in self.confusion}, key=lambda x: (x != "genuine", x))
        total = sum(self.confusion.values())
        lines = [
            f"reports: {total}  ("
            + ", ".join(f"{lab} {sum(self.count(lab, d) for d in Outcome.ALL)}" for lab in labels)
            + ")",
            f"fake (flagged = review or reject): precision {self.precision:.3f}  recall {self.recall:.3f}  "
            f"F1 {self.f1:.3f}",
            f"genuine rejected: {self.genuine_rejected}",
            "confusion (label \\ decision):   accept   review   reject",
        ]
        for lab in labels:
            lines.append(f"  {lab:<30}" + "".join(f"{self.count(lab, d):>9}" for d in Outcome.ALL))
        return "\n".join(lines)


def _utc(value: str, where: str) -> datetime:
    try:
        ts = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        raise CaseError(f"{where}: 'at' is not an ISO 8601 time") from None
    if ts.tzinfo is None:
        raise CaseError(f"{where}: 'at' needs a UTC offset, e.g. +07:00")
    return ts.astimezone(timezone.utc)


def _source(loc: dict[str, Any] | None, address: str | None) -> str | None:
    if not loc:
        return Source.TEXT if address else None
    if loc.get("forwarded"):
        return Source.FORWARDED
    if loc.get("live"):
        return Source.LIVE
    return Source.GPS if loc.get("accuracy_m") is not None else Source.PIN


class Replay:
    """One replay: a temporary database and the mapping from case ids to rows."""

    def __init__(self, db: Database, settings: ScreeningSection, base_dir: Path, jurisdiction: Any = None):
        self.db = db
        self.settings = settings
        self.base_dir = base_dir
        self.jurisdiction = jurisdiction
        self.ids: dict[str, int] = {}
        self.case_of: dict[int, str] = {}
        self.seq = 0
        self._hashes: dict[Path, str | None] = {}

    def phash(self, rel: str | None) -> str | None:
        """The perceptual hash of the photo file: the stand-in for downloading it from Telegram."""
        if not rel:
            return None
        path = (self.base_dir / rel).resolve()
        if path not in self._hashes:
            self._hashes[path] = phash_hex(path.read_bytes()) if path.is_file() else None
        return self._hashes[path]

    async def report(self, ev: dict[str, Any], where: str) -> dict[str, Any]:
        case_id = str(ev.get("id") or "")
        if not case_id or case_id in self.ids:
            raise CaseError(f"{where}: report needs a new, unique 'id'")
        at = _utc(ev.get("at"), where)
        who = ev.get("reporter") or {}
        if not isinstance(who.get("telegram_id"), int):
            raise CaseError(f"{where}: reporter.telegram_id must be an integer")
        loc, address = ev.get("location"), ev.get("address_text")
        seconds = ev.get("seconds_to_complete")
        started = at - timedelta(seconds=float(seconds)) if isinstance(seconds, (int, float)) else None
        photos = [
            Photo(
                position=i,
                file_id=str(p.get("file_unique_id") or f"{case_id}-{i}"),
                file_unique_id=str(p.get("file_unique_id") or f"{case_id}-{i}"),
                forwarded=bool(p.get("forwarded")),
                phash=self.phash(p.get("path")),
                created_at=started or at,
            )
            for i, p in enumerate(ev.get("photos") or [])
        ]
        self.seq += 1
        async with self.db.transaction() as s:
            reporter = await store.replay_reporter(
                s,
                telegram_id=who["telegram_id"],
                alias=f"E-{who['telegram_id'] % 10**8:08d}",
                username=who.get("username"),
                language="en" if str(who.get("language_code") or "").startswith("en") else "id",
                now=started or at,
            )
            if who.get("phone_verified") and not reporter.phone_verified:
                await store.verify_phone(s, reporter_id=reporter.id, phone_hash=f"replay:{who['telegram_id']}", now=at)
            report = Report(
                number=f"EVAL-{self.seq:06d}",
                prefix="EVAL",
                year=at.year,
                seq=self.seq,
                reporter_id=reporter.id,
                channel=str(ev.get("channel") or "telegram"),
                language=reporter.language,
                category=str(ev.get("category") or "other"),
                lat=(loc or {}).get("lat"),
                lon=(loc or {}).get("lon"),
                accuracy_m=(loc or {}).get("accuracy_m"),
                location_source=_source(loc, address),
                address_text=address,
                description=str(ev.get("description") or ""),
                photo_count=len(photos),
                draft_started_at=started,
                created_at=at,
            )
            await store.replay_report(s, report=report, photos=photos)
            t0 = time.perf_counter()
            result = await screen_report(
                s, report=report, settings=self.settings, now=at, jurisdiction=self.jurisdiction, photos=photos
            )
            elapsed = (time.perf_counter() - t0) * 1000
        self.ids[case_id] = report.id
        self.case_of[report.id] = case_id
        d = result.decision
        reasons = d.reason_dicts()
        return {
            "id": case_id,
            "decision": d.outcome,
            "score": d.score,
            "reasons": render_reasons("en", reasons, limit=3),
            "reasons_id": render_reasons("id", reasons, limit=3),
            "incident": self.case_of.get(result.primary_report_id) if result.incident_id else None,
            "incident_reports": result.report_count if result.incident_id else None,
            "_elapsed_ms": elapsed,
        }

    async def outcome(self, ev: dict[str, Any], where: str) -> None:
        report_id = self.ids.get(str(ev.get("report_id")))
        if report_id is None:
            raise CaseError(f"{where}: outcome for unknown report {ev.get('report_id')!r}")
        if ev.get("outcome") not in ("confirmed", "false_report"):
            raise CaseError(f"{where}: outcome must be confirmed or false_report")
        at = _utc(ev.get("at"), where)
        async with self.db.transaction() as s:
            await store.replay_outcome(s, report_id=report_id, outcome=ev["outcome"], now=at)


def read_events(path: Path) -> list[tuple[str, dict[str, Any]]]:
    events = []
    with path.open(encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            where = f"{path.name}:{n}"
            try:
                ev = json.loads(line)
            except json.JSONDecodeError as err:
                raise CaseError(f"{where}: not JSON ({err.msg})") from None
            if not isinstance(ev, dict) or ev.get("type") not in ("report", "outcome"):
                raise CaseError(f"{where}: each line must be an object with type report or outcome")
            events.append((where, ev))
    return events


async def evaluate(
    cases: Path,
    *,
    settings: ScreeningSection | None = None,
    out: TextIO | None = None,
    jurisdiction: Any = None,
    workdir: Path | None = None,
) -> Metrics:
    """Replay `cases` in a fresh temporary database; write decision lines to `out`."""
    settings = settings or ScreeningSection()
    events = read_events(cases)
    metrics = Metrics()
    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        db = Database(f"sqlite+aiosqlite:///{Path(tmp) / 'replay.db'}")
        await db.create_schema()
        replay = Replay(db, settings, cases.resolve().parent, jurisdiction)
        try:
            for where, ev in events:
                if ev["type"] == "outcome":
                    await replay.outcome(ev, where)
                    continue
                line = await replay.report(ev, where)
                metrics.timings_ms.append(line.pop("_elapsed_ms"))
                label = ev.get("label")
                if label in ("genuine", "fake"):
                    metrics.confusion[(label, line["decision"])] += 1
                if out is not None:
                    out.write(json.dumps(line, ensure_ascii=False) + "\n")
        finally:
            await db.dispose()
    return metrics


def load_settings(path: Path | None) -> tuple[ScreeningSection, Any]:
    """The [screening] section (and the office's jurisdiction) of a config file; defaults without."""
    from bot.geo import Jurisdiction

    if path is None:
        return ScreeningSection(), Jurisdiction.default()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise CaseError(f"{path}: cannot be read as TOML ({err})") from None
    try:
        settings = ScreeningSection.model_validate(data.get("screening", {}))
    except ValidationError as err:
        problems = "; ".join(f"screening.{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in err.errors())
        raise CaseError(f"{path}: {problems}") from None
    office = data.get("office", {}) if isinstance(data.get("office"), dict) else {}
    geo = office.get("jurisdiction")
    if geo:
        p = Path(geo) if Path(geo).is_absolute() else path.resolve().parent / geo
        return settings, Jurisdiction.from_geojson(p)
    return settings, Jurisdiction.default()


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("cases", type=Path, help="labelled events, one JSON object per line, in time order")
    parser.add_argument("--config", type=Path, default=None, help="a sipoa config; its [screening] section is used")
    parser.add_argument("--out", type=Path, default=None, help="write one decision per report here (JSONL)")


def run(args: argparse.Namespace, *, stdout: TextIO = sys.stdout, stderr: TextIO = sys.stderr) -> int:
    """The CLI command: prints the metrics; exit status 2 on unusable input."""
    try:
        settings, jurisdiction = load_settings(args.config)
        if not args.cases.is_file():
            raise CaseError(f"{args.cases}: no such file")
        out = args.out.open("w", encoding="utf-8") if args.out else None
        try:
            metrics = asyncio.run(evaluate(args.cases, settings=settings, out=out, jurisdiction=jurisdiction))
        finally:
            if out is not None:
                out.close()
    except CaseError as err:
        print(f"sipoa screening evaluate: {err}", file=stderr)
        return 2
    print(metrics.table(), file=stdout)
    if args.out:
        print(f"decisions written to {args.out}", file=stdout)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="sipoa screening evaluate", description=__doc__.splitlines()[0])
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
