"""The screening entry point on a real database: decide, store, restrict, place in incidents."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlmodel import select

from bot.config import ScreeningSection
from bot.screening.service import release_to_group, screen_report
from storage import screening as store
from storage.models import Reporter, ReporterEvent, ReportStatus
from tests import factories

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=timezone.utc)
HERE = (-6.1783, 106.6319)
S = ScreeningSection()


def story(n: int) -> str:
    # Different enough from each other: several honest reporters.
    texts = [
        "Tiga WNA Korea bekerja sebagai tukang las di bengkel Jl. Kenanga No. 12 setiap hari",
        "Two Korean welders work at the workshop on Kenanga street, I see them every morning at 7",
        "Di bengkel las dekat pasar ada orang asing ngelas, kira-kira 3 orang, sudah sebulan",
        "Pabrik garmen Jl. Melati 40 mempekerjakan enam pekerja Vietnam sebagai operator mesin",
        "A Nigerian man has overstayed at the boarding house on Jl. Sudirman 8 since October",
    ]
    return texts[n % len(texts)]


async def submit(db, telegram_id: int, *, at=NOW, n=0, point=HERE, **kw):
    async with db.transaction() as s:
        r = await factories.report(
            s, telegram_id=telegram_id, now=at, created_at=at, draft_started_at=at - timedelta(minutes=3),
            lat=point[0] if point else None, lon=point[1] if point else None,
            description=kw.pop("description", story(n)), category=kw.pop("category", "illegal_work"), **kw
        )
        result = await screen_report(s, report=r, settings=S, now=at)
    return r, result


async def test_accepted_report_opens_an_incident_and_a_neighbour_joins_it(db):
    first, a = await submit(db, 601, n=0)
    second, b = await submit(db, 602, at=NOW + timedelta(minutes=20), n=1, point=(HERE[0] + 0.0005, HERE[1]))
    assert a.outcome == "accept" and not a.joined and a.incident_id == first.id
    assert b.outcome == "accept" and b.joined and (b.primary_report_id, b.report_count) == (first.id, 2)
    # The second is an independent witness of the first.
    assert b.decision.has("witnesses") and b.decision.score > a.decision.score


async def test_far_away_report_opens_its_own_incident(db):
    await submit(db, 601, n=0)
    far, result = await submit(db, 602, n=3, point=(HERE[0] + 0.01, HERE[1]))
    assert not result.joined and result.incident_id == far.id


async def test_doubtful_report_is_held_and_joins_nothing(db):
    r, result = await submit(db, 601, description="Ada orang asing mencurigakan, tolong dicek")
    assert result.outcome == "review" and result.incident_id is None
    async with db.read() as s:
        rows = (await s.exec(select(factories.Report))).all()
    assert rows[0].status == ReportStatus.HELD and rows[0].reasons[0]["key"] == "scr_r_vague"


async def test_flood_is_refused_then_restricted(db):
    outcomes = []
    for k in range(6):
        _r, result = await submit(db, 601, at=NOW + timedelta(minutes=5 * k), n=k, point=(HERE[0] + 0.01 * k, HERE[1]))
        outcomes.append((result.outcome, result.restricted_until))
    assert [o for o, _ in outcomes] == ["accept", "accept", "accept", "reject", "reject", "reject"]
    assert outcomes[3][1] is None  # first strike: refused, not yet restricted
    assert outcomes[4][1] == NOW + timedelta(minutes=20) + timedelta(days=1)  # second strike: 24 h
    assert outcomes[5][1] == outcomes[4][1]  # already restricted
    async with db.read() as s:
        who = (await s.exec(select(Reporter).where(Reporter.telegram_id == 601))).one()
        actions = (await s.exec(select(ReporterEvent.action).order_by(ReporterEvent.id))).all()
    assert who.restriction_level == 1
    assert actions == ["rate_limited", "rate_limited", "restricted"]  # the 6th, restricted, adds nothing



async def test_jurisdiction_check(db):
    class Nowhere:
        def contains(self, lat, lon):
            return False

    async with db.transaction() as s:
        r = await factories.report(s, telegram_id=601, now=NOW, created_at=NOW, description=story(0))
        result = await screen_report(s, report=r, settings=S, now=NOW, jurisdiction=Nowhere())
    assert result.outcome == "review" and result.decision.has("outside_jurisdiction")


async def test_forwarded_held_report_joins_the_open_incident(db):
    first, _ = await submit(db, 601, n=0)
    held, result = await submit(db, 602, at=NOW + timedelta(minutes=5), description="Ada orang asing mencurigakan, tolong cek")
    assert result.outcome == "review"
    async with db.transaction() as s:
        moved = await store.leave_hold(s, report_id=held.id, to_status=ReportStatus.NEW, now=NOW + timedelta(hours=1),
                                       actor_id=9, actor_name="Siti")
        placed = await release_to_group(s, report=moved, settings=S, now=NOW + timedelta(hours=1))
    assert placed.joined and (placed.primary_report_id, placed.report_count) == (first.id, 2)


def test_copy_lengths_keep_every_text_that_could_match():
    from bot.screening.service import copy_lengths
    from bot.screening.text import normalize, similarity

    base = "Tiga WNA Korea bekerja sebagai tukang las di bengkel Jl. Kenanga No. 12 setiap hari"
    padded = base + " Tolong!!"  # an edited copy, still a match
    assert similarity(normalize(base), normalize(padded)) >= 88
    lo, hi = copy_lengths(len(base), 88)
    assert lo <= len(padded) <= hi
    assert copy_lengths(100, 88) == (62, 160)


async def test_three_witnesses_make_one_incident_of_three(db):
    first, a = await submit(db, 601, n=0, location_source="gps", accuracy_m=10.0)
    _, b = await submit(db, 602, at=NOW + timedelta(minutes=10), n=1, point=(HERE[0] + 0.0003, HERE[1]),
                        location_source="live", accuracy_m=8.0)
    _, c = await submit(db, 603, at=NOW + timedelta(minutes=25), n=2, point=(HERE[0], HERE[1] + 0.0004))
    assert [r.outcome for r in (a, b, c)] == ["accept"] * 3
    assert (c.joined, c.primary_report_id, c.report_count) == (True, first.id, 3)
    assert c.decision.has("witnesses") and not c.decision.has("near_duplicate")


async def test_copy_pasted_story_from_another_account_is_refused_and_edited_one_held(db):
    await submit(db, 601, n=0)
    _, exact = await submit(db, 602, at=NOW + timedelta(hours=1), n=0, point=(HERE[0] + 0.02, HERE[1]))
    _, edited = await submit(db, 603, at=NOW + timedelta(hours=2), description=story(0) + " Tolong!",
                             point=(HERE[0] + 0.03, HERE[1]))
    assert exact.outcome == "reject" and exact.decision.reasons[0].reason_key == "scr_r_exact_copy"
    assert edited.outcome == "review" and edited.decision.reasons[0].reason_key == "scr_r_near_duplicate"


async def test_recycled_photo_is_held_with_the_reason(db):
    async with db.transaction() as s:
        first = await factories.report(s, telegram_id=601, now=NOW, created_at=NOW, description=story(0),
                                       photo_file_ids=["f-1"])
        await screen_report(s, report=first, settings=S, now=NOW)
        later = NOW + timedelta(days=1)
        second = await factories.report(s, telegram_id=602, now=later, created_at=later, description=story(3),
                                        lat=HERE[0] + 0.05, lon=HERE[1], photo_file_ids=["f-1"])
        result = await screen_report(s, report=second, settings=S, now=later)
    assert result.outcome == "review"
    assert result.decision.reasons[0].reason_key == "scr_r_photo_reused"
    assert result.decision.reasons[0].values == {"report": first.number}


async def test_forwarding_a_held_report_queues_its_alert_once(db):
    from bot.screening.service import forward_held
    from storage.models import Outbox

    held, result = await submit(db, 601, description="Ada orang asing mencurigakan, tolong cek")
    assert result.outcome == "review"
    async with db.transaction() as s:
        first = await forward_held(s, report_id=held.id, settings=S, now=NOW, group_chat_id=-100, actor_id=9,
                                   actor_name="Siti")
        second = await forward_held(s, report_id=held.id, settings=S, now=NOW, group_chat_id=-100, actor_id=9,
                                    actor_name="Siti")
        rows = (await s.exec(select(Outbox))).all()
    assert first is not None and second is None
    assert [(o.kind, o.report_id, o.chat_id) for o in rows] == [("alert", held.id, -100)]


async def test_joining_an_incident_queues_a_refresh_of_its_message(db):
    from bot.screening.service import queue_alert
    from storage.models import Outbox

    first, a = await submit(db, 601, n=0)
    second, b = await submit(db, 602, at=NOW + timedelta(minutes=5), n=1, point=(HERE[0] + 0.0004, HERE[1]))
    async with db.transaction() as s:
        await queue_alert(s, report=first, result=a, group_chat_id=-100, now=NOW)
        await queue_alert(s, report=second, result=b, group_chat_id=-100, now=NOW)
        rows = (await s.exec(select(Outbox).order_by(Outbox.id))).all()
    assert [(o.kind, o.report_id, o.dedupe_key) for o in rows] == [
        ("alert", first.id, f"alert:{first.id}"),
        ("alert_refresh", first.id, f"refresh:{first.id}:incident:2"),
    ]
