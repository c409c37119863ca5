"""Plain facts the signals read: the candidate report, and what the database knows around it.

`storage/screening.py` gathers a `Context` in the submit transaction; every signal is a pure function
of (`Candidate`, `Context`, settings), so each can be tested with hand-made facts and no database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


class Outcome:
    ACCEPT = "accept"
    REVIEW = "review"
    REJECT = "reject"
    ALL = (ACCEPT, REVIEW, REJECT)


class Source:
    """How the place was given (the same words as Draft.location_source)."""

    GPS = "gps"  # the phone's one-time current location (comes with an accuracy)
    LIVE = "live"  # a live location: a moving fix from the device
    VENUE = "venue"  # a place picked from the map's list
    PIN = "pin"  # a pin placed by hand
    FORWARDED = "forwarded"  # a location forwarded from someone else's chat
    TEXT = "text"  # an address typed as text


@dataclass(frozen=True)
class Signal:
    """One signal's verdict: what it adds to the score and why, in a texts-catalog key.

    `floor` is the least severe outcome this signal allows ("review" or "reject"); a score cannot
    lift a report past it. `values` fill the reason's placeholders.
    """

    name: str
    contribution: float
    reason_key: str
    values: dict[str, Any] = field(default_factory=dict)
    floor: str | None = None


@dataclass(frozen=True)
class PhotoFacts:
    file_unique_id: str
    phash: str | None = None
    forwarded: bool = False


@dataclass(frozen=True)
class Candidate:
    """The report being screened, as plain values."""

    reporter_id: int
    channel: str
    category: str
    created_at: datetime
    description: str
    lat: float | None = None
    lon: float | None = None
    accuracy_m: float | None = None
    location_source: str | None = None
    in_jurisdiction: bool | None = None
    address_text: str | None = None
    photos: tuple[PhotoFacts, ...] = ()
    seconds_to_complete: float | None = None
    report_id: int | None = None

    @property
    def walk_in(self) -> bool:
        return self.channel == "walk_in"

    @property
    def located(self) -> bool:
        return self.lat is not None and self.lon is not None

    @property
    def has_evidence(self) -> bool:
        return self.location_source in (Source.GPS, Source.LIVE) or any(not p.forwarded for p in self.photos)


@dataclass(frozen=True)
class ReporterFacts:
    reporter_id: int
    created_at: datetime
    phone_verified: bool = False
    restricted_until: datetime | None = None
    restriction_level: int = 0
    # Earlier reports (any decision) in the last hour / day, the candidate excluded.
    reports_last_hour: int = 0
    reports_last_day: int = 0
    # Outcomes officers recorded on this reporter's earlier reports.
    confirmed: int = 0
    false_reports: int = 0
    # Refusals for rate in the last 24 h, the candidate excluded.
    rate_strikes: int = 0


@dataclass(frozen=True)
class OtherReport:
    """An earlier report near the candidate in place and time."""

    report_id: int
    reporter_id: int
    created_at: datetime
    category: str
    description: str
    status: str
    decision: str | None
    distance_m: float
    lat: float
    lon: float
    location_source: str | None = None
    reporter_new: bool = False
    photo_uids: tuple[str, ...] = ()
    phashes: tuple[str, ...] = ()
    # Photos the reporter sent themselves (not forwarded).
    own_photos: int = 0
    incident_id: int | None = None
    number: str = ""

    @property
    def has_evidence(self) -> bool:
        """A device fix or a photo of their own: signs the reporter was there."""
        return self.location_source in (Source.GPS, Source.LIVE) or self.own_photos > 0


@dataclass(frozen=True)
class TextPeer:
    """A recent report's text, for copy-paste detection (already normalized)."""

    report_id: int
    reporter_id: int
    text: str
    number: str = ""


@dataclass(frozen=True)
class PhotoPeer:
    """A photo of another recent report: same file, or any with a perceptual hash."""

    report_id: int
    reporter_id: int
    file_unique_id: str
    phash: str | None
    lat: float | None = None
    lon: float | None = None
    number: str = ""


@dataclass(frozen=True)
class IncidentFacts:
    incident_id: int
    primary_report_id: int
    category: str
    lat: float
    lon: float
    last_report_at: datetime
    report_count: int
    # The primary report is still new or taken (an incident closes with its report).
    open: bool = True
    # The office (report prefix) of its primary report: a report joins its own office's incidents only.
    office: str | None = None


@dataclass(frozen=True)
class Context:
    reporter: ReporterFacts
    now: datetime
    # Reports within the largest of the burst/incident/repeat radii and windows (candidate excluded).
    nearby: tuple[OtherReport, ...] = ()
    texts: tuple[TextPeer, ...] = ()
    photos: tuple[PhotoPeer, ...] = ()
    incidents: tuple[IncidentFacts, ...] = ()
