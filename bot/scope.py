"""Which offices a supervisor's figures cover, and which office a command names. Pure: no I/O.

A scope is a plain value handed down to the queries: None for a national supervisor (every office,
and the national total), or the frozenset of the office keys a supervisor is listed in. A single-office
config makes every supervisor national, so nothing about its figures changes.

`/stats JKS`, `/stats JKS 7d`, `/stats 7d jks`, `/export JKS 30d`: an argument that is an office's key
(any case) picks that office; the other argument is the period, as before.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from bot.offices import Office, Offices
from bot.texts import Html, t

Scope = frozenset[str] | None


class NotYourOffice(Exception):
    """The supervisor named an office they do not supervise."""


@dataclass(frozen=True)
class Request:
    # The office named in the command, if any.
    office: Office | None
    # The remaining arguments (the period).
    rest: list[str]


def scope_of(offices: Offices, user_id: int) -> Scope:
    """None for a national supervisor; else the keys of the offices that list them."""
    if offices.is_national_supervisor(user_id):
        return None
    return frozenset(o.key for o in offices.supervised_offices(user_id))


def split_args(args: Sequence[str], offices: Offices) -> Request:
    """The office named among the arguments (only with several offices: a single-office bot reads
    its arguments exactly as before) and the others, in their order."""
    if offices.single or len(offices) < 2:
        return Request(None, list(args))
    office, rest = None, []
    for arg in args:
        found = offices.get(arg.upper()) if office is None else None
        if found is not None:
            office = found
        else:
            rest.append(arg)
    return Request(office, rest)


def narrow(scope: Scope, office: Office | None) -> Scope:
    """The scope of one command: the named office (if the supervisor may see it) or all of theirs."""
    if office is None:
        return scope
    if scope is None or office.key in scope:
        return frozenset({office.key})
    raise NotYourOffice(office.key)


def offices_in(offices: Offices, scope: Scope) -> list[Office]:
    """The configured offices a scope covers, in config order."""
    return [o for o in offices if scope is None or o.key in scope]


def zone_of(offices: Offices, scope: Scope, national: ZoneInfo) -> ZoneInfo:
    """The clock a scope's days follow ("today" from 00:00 WITA for a Makassar office): its offices'
    when they share one; the national clock ([office].timezone) for every office, or offices in
    different zones."""
    if offices.single or scope is None:
        return national
    zones = {o.tz.key: o.tz for o in offices_in(offices, scope)}
    return next(iter(zones.values())) if len(zones) == 1 else national


def is_breakdown(offices: Offices, scope: Scope) -> bool:
    """Figures for more than one office get one line per office besides their total."""
    return not offices.single and len(offices_in(offices, scope)) > 1


def label(offices: Offices, scope: Scope, national: str) -> str | None:
    """What a title calls the scope: nothing with a single office (its texts stay as they were), the
    office's name, the names of a few, or `national` for every office."""
    if offices.single:
        return None
    if scope is None:
        return national
    return ", ".join(o.name for o in offices_in(offices, scope)) or national


def period_error(lang: str, key: str, offices: Offices, scope: Scope, command: str) -> Html:
    """Why a period was not understood; with several offices, also how to name one of them."""
    text = t(lang, key, command=command)
    mine = offices_in(offices, scope)
    if offices.single or key != "period_unknown" or not mine:
        return text
    keys = ", ".join(o.key for o in mine)
    return Html(f"{text}\n{t(lang, 'scope_usage', keys=keys, command=command, code=mine[-1].key)}")
