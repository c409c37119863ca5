"""The signals: each a pure function of (candidate, context, settings) → `Signal | None`.

None means "nothing to say". A signal never decides alone: it adds a weighted contribution and, for
the few things that must be seen by a human (or are clear abuse), a floor on the outcome.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from bot.config import ScreeningSection
from bot.screening import text
from bot.screening.facts import Candidate, Context, OtherReport, Outcome, Signal, Source
from bot.screening.incidents import related
from bot.screening.photos import same_picture
from storage.models import ReportStatus

SignalFn = Callable[[Candidate, Context, ScreeningSection], "Signal | None"]

# Reports that count as standing evidence (reached officers or were confirmed).
_STANDING = (ReportStatus.NEW, ReportStatus.TAKEN, ReportStatus.RESOLVED)
# About a metre: closer than two people's pins ever land by chance.
_SAME_PIN_DEG = 1e-5


def restriction(c: Candidate, ctx: Context, s: ScreeningSection) -> Signal | None:
    until = ctx.reporter.restricted_until
    if c.walk_in or until is None or until <= c.created_at:
        return None
    return Signal("restricted", 0.0, "scr_r_restricted", {"until": until.isoformat()}, floor=Outcome.REJECT)


def rate(c: Candidate, ctx: Context, s: ScreeningSection) -> Signal | None:
    """Refuse at the hourly/daily count; the last allowed report already costs a little."""
    if c.walk_in:
        return None
    hour, day = ctx.reporter.reports_last_hour + 1, ctx.reporter.reports_last_day + 1
    values = {"hour": hour, "day": day}
    if hour > s.max_reports_per_hour or day > s.max_reports_per_day:
        return Signal("rate_limited", 0.0, "scr_r_rate_limited", values, floor=Outcome.REJECT)
    if hour == s.max_reports_per_hour or day == s.max_reports_per_day:
        return Signal("rate_high", s.weights.rate_high, "scr_r_rate_high", values)
    return None


def verification(c: Candidate, ctx: Context, s: ScreeningSection) -> Signal | None:
    """Offered, never demanded: no phone costs nothing, a verified one helps."""
    if c.walk_in:
        return Signal("walk_in", s.weights.walk_in, "scr_r_walk_in")
    if ctx.reporter.phone_verified:
        return Signal("phone_verified", s.weights.phone_verified, "scr_r_phone_verified")
    return None


def reputation(c: Candidate, ctx: Context, s: ScreeningSection) -> Signal | None:
    """Beta-prior mean of confirmed vs false outcomes: a newcomer sits at exactly 0.5 (no signal)."""
    good, bad = ctx.reporter.confirmed, ctx.reporter.false_reports
    if good == 0 and bad == 0:
        return None
    prior = s.reputation_prior
    mean = (good + prior) / (good + bad + 2 * prior)
    contribution = round((mean - 0.5) * 2 * s.weights.reputation, 4)
    key = "scr_r_reputation_good" if contribution >= 0 else "scr_r_reputation_bad"
    return Signal("reputation", contribution, key, {"confirmed": good, "false": bad})


def vagueness(c: Candidate, ctx: Context, s: ScreeningSection) -> Signal | None:
    found = text.concreteness(c.description)
    if found.words >= s.vague_min_words and len(found.facets) >= s.concrete_min_facets:
        return None
    return Signal("vague", s.weights.vague, "scr_r_vague", {"words": found.words, "facets": len(found.facets)})


def gibberish(c: Candidate, ctx: Context, s: ScreeningSection) -> Signal | None:
    ratio = text.gibberish_ratio(c.description)
    if ratio < 0.4:
        return None
    return Signal("gibberish", s.weights.gibberish, "scr_r_gibberish", {"percent": round(ratio * 100)}, Outcome.REVIEW)


def slurs(c: Candidate, ctx: Context, s: ScreeningSection) -> Signal | None:
    if not text.slur_terms(c.description):
        return None
    return Signal("slur", s.weights.slur, "scr_r_slur", floor=Outcome.REVIEW)


def copy_paste(c: Candidate, ctx: Context, s: ScreeningSection) -> Signal | None:
    """Near-identical text in the window: from another account (copy), or the reporter's own (resend
    or flood). An exact copy of another account's substantial text is refused."""
    query = text.normalize(c.description)
    peers = ctx.texts
    matches = text.similar(
        query, [p.text for p in peers], cutoff=s.near_duplicate_ratio, min_chars=s.duplicate_min_chars
    )
    if not matches:
        return None
    others = [m for m in matches if peers[m.index].reporter_id != c.reporter_id]
    if others:
        best = max(others, key=lambda m: (m.exact, m.similarity))
        peer = peers[best.index]
        values = {"report": peer.number or str(peer.report_id), "similarity": round(best.similarity)}
        if best.exact:
            return Signal("exact_copy", s.weights.near_duplicate, "scr_r_exact_copy", values, Outcome.REJECT)
        return Signal("near_duplicate", s.weights.near_duplicate, "scr_r_near_duplicate", values, Outcome.REVIEW)
    best = max(matches, key=lambda m: m.similarity)
    peer = peers[best.index]
    values = {"report": peer.number or str(peer.report_id), "similarity": round(best.similarity)}
    return Signal("own_duplicate", s.weights.own_duplicate, "scr_r_own_duplicate", values, Outcome.REVIEW)


def _reused(c: Candidate, ctx: Context, s: ScreeningSection) -> list[tuple[int, object, bool]]:
    """(candidate photo index, the peer, exact file?) for each candidate photo seen elsewhere. The
    reporter's own photo sent again about the same spot is not reuse (a follow-up)."""
    found = []
    for i, photo in enumerate(c.photos):
        for peer in ctx.photos:
            exact = peer.file_unique_id == photo.file_unique_id
            if not exact and not same_picture(photo.phash, peer.phash, max_distance=s.phash_max_distance):
                continue
            if peer.reporter_id == c.reporter_id and _near(c, peer.lat, peer.lon, s.incident_radius_m):
                continue
            found.append((i, peer, exact))
            break
    return found


def _near(c: Candidate, lat: float | None, lon: float | None, radius_m: float) -> bool:
    from bot.geo import haversine_m

    if not c.located or lat is None or lon is None:
        return False
    return haversine_m(c.lat, c.lon, lat, lon) <= radius_m


def photo_reuse(c: Candidate, ctx: Context, s: ScreeningSection) -> Signal | None:
    reused = _reused(c, ctx, s)
    if not reused:
        return None
    _i, peer, exact = reused[0]
    values = {"report": peer.number or str(peer.report_id)}
    key = "scr_r_photo_reused" if exact else "scr_r_photo_reencoded"
    return Signal("photo_reused", s.weights.photo_reused, key, values, Outcome.REVIEW)


def photo_forwarded(c: Candidate, ctx: Context, s: ScreeningSection) -> Signal | None:
    count = sum(1 for p in c.photos if p.forwarded)
    if not count:
        return None
    return Signal("photo_forwarded", s.weights.photo_forwarded, "scr_r_photo_forwarded", {"count": count})


def own_photo(c: Candidate, ctx: Context, s: ScreeningSection) -> Signal | None:
    reused = {i for i, _peer, _exact in _reused(c, ctx, s)} if c.photos else set()
    own = sum(1 for i, p in enumerate(c.photos) if not p.forwarded and i not in reused)
    if not own:
        return None
    return Signal("own_photo", s.weights.own_photo, "scr_r_own_photo", {"count": own})


def location_provenance(c: Candidate, ctx: Context, s: ScreeningSection) -> Signal | None:
    """A live fix with good accuracy is the strongest sign the reporter stands there; a forwarded
    location is someone else's; a typed address is unverifiable. A hand-placed pin is neutral."""
    src, acc = c.location_source, c.accuracy_m
    w = s.weights
    if src == Source.FORWARDED:
        return Signal("location", w.forwarded_location, "scr_r_forwarded_location")
    if src == Source.TEXT or (not c.located and c.address_text):
        return Signal("location", w.typed_address, "scr_r_typed_address")
    if acc is None:
        return None
    if src == Source.LIVE and acc <= s.good_accuracy_m:
        return Signal("location", w.live_location, "scr_r_live_location", {"accuracy": round(acc)})
    if src in (Source.LIVE, Source.GPS) and acc <= 2 * s.good_accuracy_m:
        return Signal("location", w.gps_location, "scr_r_gps_location", {"accuracy": round(acc)})
    return None


def accuracy(c: Candidate, ctx: Context, s: ScreeningSection) -> Signal | None:
    if c.accuracy_m is None or c.accuracy_m <= s.poor_accuracy_m:
        return None
    return Signal("poor_accuracy", s.weights.poor_accuracy, "scr_r_poor_accuracy", {"accuracy": round(c.accuracy_m)})


def jurisdiction(c: Candidate, ctx: Context, s: ScreeningSection) -> Signal | None:
    if c.in_jurisdiction is not False:
        return None
    return Signal("outside_jurisdiction", s.weights.outside_jurisdiction, "scr_r_outside", floor=Outcome.REVIEW)


def speed(c: Candidate, ctx: Context, s: ScreeningSection) -> Signal | None:
    """A whole conversation in a few seconds, or a long story "typed" faster than thumbs can: a
    script, or a text pasted from elsewhere."""
    secs = c.seconds_to_complete
    if c.walk_in or secs is None:
        return None
    chars = len(c.description)
    if secs >= s.min_seconds_to_complete and chars <= s.max_chars_per_second * secs:
        return None
    return Signal("too_fast", s.weights.too_fast, "scr_r_too_fast", {"seconds": round(secs), "chars": chars})


def is_new_reporter(ctx: Context, s: ScreeningSection) -> bool:
    r = ctx.reporter
    young = ctx.now - r.created_at < timedelta(days=s.new_account_days)
    return young and not r.phone_verified and r.confirmed == 0


def new_account_burst(c: Candidate, ctx: Context, s: ScreeningSection) -> Signal | None:
    """Many new accounts about one place within hours: each of their reports waits for a human.
    Fewer suffice when none of them brought evidence of being there (fresh accounts, hand pins)."""
    if c.walk_in or not c.located or not is_new_reporter(ctx, s):
        return None
    since = c.created_at - timedelta(hours=s.burst_window_hours)
    evidence = {c.reporter_id: c.has_evidence}
    for o in ctx.nearby:
        if o.reporter_new and o.distance_m <= s.burst_radius_m and o.created_at >= since:
            evidence[o.reporter_id] = evidence.get(o.reporter_id, False) or o.has_evidence
    bare = sum(1 for has in evidence.values() if not has)
    if len(evidence) < s.burst_min_accounts and (c.has_evidence or bare < s.burst_min_without_evidence):
        return None
    values = {"accounts": len(evidence), "hours": _num(s.burst_window_hours)}
    return Signal("new_account_burst", s.weights.new_account_burst, "scr_r_burst", values, Outcome.REVIEW)


def shared_pin(c: Candidate, ctx: Context, s: ScreeningSection) -> Signal | None:
    """The same hand-placed pin as another account's recent report. Picked venues share exact
    coordinates legitimately, and device fixes never coincide, so only pins and forwarded ones count."""
    hand = (Source.PIN, Source.FORWARDED)
    if c.walk_in or not c.located or c.location_source not in hand:
        return None
    since = c.created_at - timedelta(hours=s.burst_window_hours)
    for o in ctx.nearby:
        if (
            o.reporter_id != c.reporter_id
            and o.location_source in hand
            and o.created_at >= since
            and abs(o.lat - c.lat) < _SAME_PIN_DEG
            and abs(o.lon - c.lon) < _SAME_PIN_DEG
        ):
            values = {"report": o.number or str(o.report_id)}
            return Signal("shared_pin", s.weights.shared_pin, "scr_r_shared_pin", values)
    return None


def repeat_target(c: Candidate, ctx: Context, s: ScreeningSection) -> Signal | None:
    """One reporter about the same spot again and again (a neighbour's grudge), unless officers
    confirmed an earlier one."""
    if c.walk_in or not c.located:
        return None
    since = c.created_at - timedelta(days=s.repeat_target_window_days)
    mine = [
        o
        for o in ctx.nearby
        if o.reporter_id == c.reporter_id and o.distance_m <= s.repeat_target_radius_m and o.created_at >= since
    ]
    if any(o.status == ReportStatus.RESOLVED for o in mine) or len(mine) < s.repeat_target_min_previous:
        return None
    values = {"count": len(mine) + 1, "days": _num(s.repeat_target_window_days)}
    return Signal("repeat_target", s.weights.repeat_target, "scr_r_repeat_target", values, Outcome.REVIEW)


def independent_witnesses(c: Candidate, ctx: Context, s: ScreeningSection) -> list[OtherReport]:
    """Standing reports of the same place and time by other accounts, each in its own words, with
    its own photos and its own fix: several genuine witnesses, not one story copied. A brand-new
    account counts only with evidence of being there (a device fix or a photo of its own)."""
    since = c.created_at - timedelta(hours=s.incident_window_hours)
    query = text.normalize(c.description)
    mine_uids = {p.file_unique_id for p in c.photos}
    mine_hashes = [p.phash for p in c.photos if p.phash]
    by_reporter: dict[int, OtherReport] = {}
    for o in ctx.nearby:
        if (
            o.reporter_id == c.reporter_id
            or (o.reporter_new and not o.has_evidence)
            or o.status not in _STANDING
            or o.distance_m > s.incident_radius_m
            or o.created_at < since
            or not related(c.category, o.category, s.related_categories)
            or (c.lat == o.lat and c.lon == o.lon)
            or mine_uids & set(o.photo_uids)
            or any(same_picture(a, b, max_distance=s.phash_max_distance) for a in mine_hashes for b in o.phashes)
            or text.similarity(query, text.normalize(o.description)) >= s.near_duplicate_ratio
        ):
            continue
        by_reporter.setdefault(o.reporter_id, o)
    return list(by_reporter.values())


def witnesses(c: Candidate, ctx: Context, s: ScreeningSection) -> Signal | None:
    if not c.located:
        return None
    found = independent_witnesses(c, ctx, s)
    if not found:
        return None
    bonus = min(len(found) * s.weights.witness, s.weights.witness_max)
    return Signal("witnesses", round(bonus, 4), "scr_r_witnesses", {"count": len(found)})


def _num(x: float) -> int | float:
    return int(x) if float(x).is_integer() else x


# In the order they are computed; the decision ranks the reasons itself.
SIGNALS: tuple[SignalFn, ...] = (
    restriction,
    rate,
    verification,
    reputation,
    vagueness,
    gibberish,
    slurs,
    copy_paste,
    photo_reuse,
    photo_forwarded,
    own_photo,
    location_provenance,
    accuracy,
    jurisdiction,
    speed,
    new_account_burst,
    shared_pin,
    repeat_target,
    witnesses,
)
