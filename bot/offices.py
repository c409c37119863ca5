"""The offices one bot serves, and which of them a report, a group or a person belongs to. Pure: no
Telegram, no database (the jurisdiction files are read once, when the directory is built).

An office's key is its report prefix (TNG, JKS): report numbers carry it and `Report.prefix` stores
it, so the office of any report is `offices.of_report(report)`. A config without [[offices]] is one
office made of [office] + [officers] (`Offices.single`), which behaves exactly as before.

Groups: each office has its own officers' group. Telegram may migrate a group to a supergroup with
a new id; `set_group` records that at run time (storage/settings.py keeps it across restarts), so
`group_id(key)` is the id to send to and `for_group(chat_id)` the office a group update belongs to.

People: national supervisors ([officers].supervisor_ids) supervise every office; an office's own
supervisor_ids supervise that office. An office with an empty officer_ids list counts every member of
its group as an officer (as the single office always did); its supervisors and the national ones are
officers of it too.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.clock import WIB
from bot.geo import Area, Jurisdiction, haversine_m

if TYPE_CHECKING:
    from bot.config import Config

# Words that open a kabupaten/kota's name and that residents usually leave out ("Jakarta Selatan").
_REGION_WORDS = ("kota administrasi ", "kabupaten ", "kab. ", "kab ", "kota ")


@dataclass(frozen=True)
class Office:
    key: str  # the report prefix
    name: str
    group_chat_id: int  # as configured; `Offices.group_id(key)` follows a migration
    jurisdiction: Jurisdiction = field(repr=False, compare=False)
    supervisor_ids: frozenset[int] = frozenset()
    officer_ids: frozenset[int] = frozenset()
    area_names: tuple[str, ...] = ()
    hotline: str = ""
    # Its clock: alert times, its residents' and supervisors' times, where its days begin.
    tz: ZoneInfo = WIB

    def regions(self) -> list[str]:
        """The kabupaten/kota it covers, in file order ("Kota Tangerang", ...)."""
        return list(dict.fromkeys(a.kabupaten_kota for a in self.jurisdiction.areas)) or [self.jurisdiction.name]


def _norm(text: str) -> str:
    """Case-, accent- and punctuation-blind words separated by single spaces, padded with spaces so
    that a name matches whole words only (" tangerang " is not inside " tangerangan ")."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()
    return " " + " ".join(re.sub(r"[^a-z0-9]+", " ", text).split()) + " "


def _names_of(area: Area) -> list[str]:
    names = [area.kabupaten_kota]
    if area.kecamatan:
        names.append(area.kecamatan)
    low = area.kabupaten_kota.casefold()
    for word in _REGION_WORDS:
        if low.startswith(word):
            names.append(area.kabupaten_kota[len(word):])
            break
    return names


class Offices:
    """The directory of offices, built once by `from_config` and reached as `services.offices`."""

    def __init__(self, offices: list[Office], *, national_supervisor_ids: frozenset[int] = frozenset(),
                 single: bool = False):
        if not offices:
            raise ValueError("at least one office is needed")
        self._offices = {o.key: o for o in offices}
        self._groups = {o.key: o.group_chat_id for o in offices}
        self.national_supervisor_ids = national_supervisor_ids
        # True when derived from the single-office keys: settings and texts stay as they were.
        self.single = single
        self._names = self._name_index(offices)

    @classmethod
    def from_config(cls, config: Config, *, load: Callable[[Path | None], Jurisdiction] | None = None) -> Offices:
        load = load or _load
        if not config.offices:
            o, officers = config.office, config.officers
            assert officers.group_chat_id is not None  # the config's validation guarantees it
            office = Office(
                key=o.report_prefix, name=o.name, group_chat_id=officers.group_chat_id,
                jurisdiction=load(config.jurisdiction_path()), supervisor_ids=frozenset(officers.supervisor_ids),
                officer_ids=frozenset(officers.officer_ids), hotline=o.hotline, tz=ZoneInfo(o.timezone),
            )
            # The single office's supervisors see everything: they are the national ones too.
            return cls([office], national_supervisor_ids=frozenset(officers.supervisor_ids), single=True)
        cache: dict[Path | None, Jurisdiction] = {}
        offices = []
        for e in config.offices:
            path = config.jurisdiction_path(e.jurisdiction)
            if path not in cache:
                cache[path] = load(path)
            offices.append(Office(
                key=e.report_prefix, name=e.name, group_chat_id=e.group_chat_id, jurisdiction=cache[path],
                supervisor_ids=frozenset(e.supervisor_ids), officer_ids=frozenset(e.officer_ids),
                area_names=tuple(e.area_names), hotline=e.hotline,
                tz=ZoneInfo(e.timezone or config.office.timezone),
            ))
        return cls(offices, national_supervisor_ids=frozenset(config.officers.supervisor_ids))

    # -- the directory

    def __iter__(self) -> Iterator[Office]:
        return iter(self._offices.values())

    def __len__(self) -> int:
        return len(self._offices)

    @property
    def primary(self) -> Office:
        """The first office listed (the only one of a single-office config)."""
        return next(iter(self._offices.values()))

    def get(self, key: str | None) -> Office | None:
        return self._offices.get(key) if key else None

    def of_report(self, report) -> Office:
        """A report's office (by its prefix); an unknown prefix (an office removed from the config) is
        the primary office's, so its report still reaches a group."""
        return self._offices.get(getattr(report, "prefix", None)) or self.primary

    def tz_of(self, key: str | None) -> ZoneInfo:
        """The clock of office `key` (None or unknown: the primary office's, as `of_report`)."""
        office = self.get(key)
        return (office or self.primary).tz

    def for_draft(self, key: str | None, lat: float | None, lon: float | None) -> Office:
        """The office a finished draft goes to: the one its location step chose (Draft.extra, see
        bot/intake.OFFICE), else the one whose area holds its point, else the first office."""
        office = self.get(key)
        if office is None and lat is not None and lon is not None:
            found = self.locate(lat, lon)
            office = found[0] if found is not None else None
        return office or self.primary

    # -- groups

    def group_id(self, key: str | None) -> int:
        """The group to send to for office `key` (None or unknown: the primary office's)."""
        return self._groups[key] if key in self._groups else self._groups[self.primary.key]

    def set_group(self, key: str, chat_id: int) -> None:
        """Telegram migrated the office's group: use the new id from now on."""
        if key in self._groups:
            self._groups[key] = chat_id

    def settings_suffix(self, key: str) -> str | None:
        """What tells an office's group settings apart (storage/settings.py): nothing for a single-office
        config (its rows keep the names they always had), the office's key with several offices."""
        return None if self.single else key

    def for_group(self, chat_id: int | None) -> Office | None:
        """The office whose officers' group this is (its current id), or None for any other chat."""
        for key, group in self._groups.items():
            if group == chat_id:
                return self._offices[key]
        return None

    def group_ids(self) -> list[int]:
        return list(self._groups.values())

    # -- where

    def locate(self, lat: float, lon: float) -> tuple[Office, Area] | None:
        """The office whose area holds the point, with the area; None outside every office's area
        (the first office listed wins where two areas overlap)."""
        for office in self._offices.values():
            area = office.jurisdiction.locate(lat, lon)
            if area is not None:
                return office, area
        return None

    def territory(self) -> Jurisdiction:
        """Every office's area as one jurisdiction (the single office's own, unchanged)."""
        return Jurisdiction.merged(dict.fromkeys(o.jurisdiction for o in self), " + ".join(o.name for o in self))

    def nearest(self, lat: float, lon: float) -> Office:
        """The office whose area's border comes nearest to the point (for "the nearest office" hints)."""
        def distance(office: Office) -> float:
            return min(haversine_m(lat, lon, y, x) for ring in office.jurisdiction.outline() for x, y in ring)

        return min(self._offices.values(), key=distance)

    def _name_index(self, offices: list[Office]) -> list[tuple[str, str]]:
        """(normalised name, office key), longest names first so "Tangerang Selatan" beats "Tangerang"."""
        pairs: dict[str, set[str]] = {}
        for office in offices:
            names = [n for a in office.jurisdiction.areas for n in _names_of(a)] + list(office.area_names)
            for name in names:
                norm = _norm(name)
                if norm.strip():
                    pairs.setdefault(norm, set()).add(office.key)
        # A name two offices share tells nothing: left out.
        index = [(n, next(iter(keys))) for n, keys in pairs.items() if len(keys) == 1]
        return sorted(index, key=lambda p: -len(p[0]))

    def by_area_name(self, text: str) -> Office | None:
        """The office whose area a typed address names (a kecamatan, a kabupaten/kota, with or without
        "Kota"/"Kabupaten", or one of the office's area_names); the longest name found decides; None
        when the text names no area, or names areas of two offices equally well."""
        if len(self._offices) == 1:
            return self.primary
        typed = _norm(text)
        found: dict[str, int] = {}
        for name, key in self._names:
            if name in typed:
                found[key] = max(found.get(key, 0), len(name))
        if not found:
            return None
        best = max(found.values())
        winners = [k for k, n in found.items() if n == best]
        return self._offices[winners[0]] if len(winners) == 1 else None

    # -- people

    def is_national_supervisor(self, user_id: int) -> bool:
        return user_id in self.national_supervisor_ids

    def is_supervisor(self, user_id: int) -> bool:
        """A supervisor of any office (or national)."""
        return self.is_national_supervisor(user_id) or any(user_id in o.supervisor_ids for o in self)

    def supervised_offices(self, user_id: int) -> list[Office]:
        """Every office for a national supervisor; the offices listing them otherwise ([] for others)."""
        if self.is_national_supervisor(user_id):
            return list(self)
        return [o for o in self if user_id in o.supervisor_ids]

    def is_officer(self, key: str, user_id: int) -> bool:
        """May act in office `key`'s group: listed (or anyone, with an empty list), or a supervisor of it."""
        office = self._offices.get(key)
        if office is None:
            return False
        return (not office.officer_ids or user_id in office.officer_ids or user_id in office.supervisor_ids
                or self.is_national_supervisor(user_id))

    def supervises(self, key: str, user_id: int) -> bool:
        """A supervisor of office `key` (its own, or a national one)."""
        office = self._offices.get(key)
        return self.is_national_supervisor(user_id) or (office is not None and user_id in office.supervisor_ids)

    def listed_offices(self, user_id: int) -> list[Office]:
        """Offices that name this person as officer or supervisor (no group membership asked)."""
        return [o for o in self if user_id in o.officer_ids or user_id in o.supervisor_ids]


def _load(path: Path | None) -> Jurisdiction:
    return Jurisdiction.from_geojson(path) if path else Jurisdiction.default()
