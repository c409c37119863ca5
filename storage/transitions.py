"""One structured log line per report transition, written when (and only when) it is committed:

    event=report_transition report=TNG-2026-000001 action=taken from=new to=taken actor=officer:7000000001

Every transition already leaves a ReportEvent row (the audit trail) in the transaction that makes
it, whichever code path made it (submit, screening, the officers' buttons, a supervisor's review);
so the log follows those rows: collected when the session flushes them, logged after COMMIT, dropped
on ROLLBACK. A transition that lost its race (a second Take) writes no row and logs nothing.

The reporter is never named: a report's creation is logged as `actor=resident`, without an id.
"""

from __future__ import annotations

import logging

from sqlalchemy import event
from sqlalchemy.orm import Session

from storage.models import Report, ReportEvent

log = logging.getLogger("sipoa.reports")

_KEY = "sipoa_transitions"


def install() -> None:
    """Listen on every ORM session (idempotent: the application calls it at each start)."""
    for name, fn in (("after_flush", _collect), ("after_commit", _emit), ("after_soft_rollback", _drop)):
        if not event.contains(Session, name, fn):
            event.listen(Session, name, fn)


def _collect(session: Session, _context) -> None:
    for obj in session.new:
        if isinstance(obj, ReportEvent):
            report = session.identity_map.get(Session.identity_key(Report, obj.report_id))
            number = report.number if isinstance(report, Report) else f"id:{obj.report_id}"
            session.info.setdefault(_KEY, []).append(line(obj, number))


def _emit(session: Session) -> None:
    for text in session.info.pop(_KEY, []):
        log.info(text)


def _drop(session: Session, _previous_transaction) -> None:
    session.info.pop(_KEY, None)


def line(e: ReportEvent, number: str) -> str:
    if e.action == "created":
        actor = "resident"  # made by the reporter: never their identity in a log
    elif e.actor_id is not None:
        actor = f"officer:{e.actor_id}"
    else:
        actor = "system"
    return (f"event=report_transition report={number} action={e.action} from={e.from_status or '-'} "
            f"to={e.to_status or '-'} actor={actor}")
