"""Is this person an officer, asked from a PRIVATE chat (/walkin, and any officer-only command there)?

In the group, a press already proves membership, so `Services.is_officer` treats an empty
`officers.officer_ids` as "anyone in the group". In a private chat nothing proves it: with a
configured list the list decides; with an empty one Telegram is asked (getChatMember on the
officers' group), and its answer is cached briefly so that a burst of commands costs one call.
With several offices, each office's list or group is asked in turn: the first that has the person is
their office (a walk-in's desk, bot/offices.py).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from telegram import ChatMember
from telegram.error import BadRequest, Forbidden

from bot.offices import Office
from bot.services import Services

log = logging.getLogger("sipoa.membership")

CACHE_TTL = timedelta(minutes=5)
CACHE_KEY = "office_membership"
# Bounded: a stranger cycling accounts must not grow the process without end.
CACHE_MAX = 1000
MEMBER_STATUSES = frozenset({ChatMember.MEMBER, ChatMember.ADMINISTRATOR, ChatMember.OWNER})


async def is_office_member(bot, services: Services, user_id: int) -> bool:
    """Supervisors and listed officers; with no list, members of the officers' group. A network
    failure raises (the caller says "try again"); Telegram's "no" is cached like its "yes"."""
    return await member_office(bot, services, user_id) is not None


async def member_office(bot, services: Services, user_id: int) -> Office | None:
    """The office this person works for (several offices: the first that has them; a national
    supervisor's is the first office), or None for anyone else. Same rules as `is_office_member`."""
    offices = services.offices
    if offices.is_national_supervisor(user_id):
        return offices.primary
    listed = offices.listed_offices(user_id)
    if listed:
        return listed[0]
    for office in offices:
        if not office.officer_ids and await _in_group(bot, services, office, user_id):
            return office
    return None


async def _in_group(bot, services: Services, office: Office, user_id: int) -> bool:
    cache: dict[tuple[int, str], tuple[bool, object]] = services.background.setdefault(CACHE_KEY, {})
    now = services.now()
    hit = cache.get((user_id, office.key))
    if hit is not None and hit[1] > now:
        return hit[0]
    try:
        member = await bot.get_chat_member(services.group_of(office.key), user_id)
    except (BadRequest, Forbidden) as err:
        # Unknown user, or the bot is not (or no longer) in the group: nobody can be confirmed.
        log.info("event=membership_unknown user=%s office=%s error=%s", user_id, office.key, err)
        allowed = False
    else:
        allowed = member.status in MEMBER_STATUSES or (
            member.status == ChatMember.RESTRICTED and bool(getattr(member, "is_member", False))
        )
    if len(cache) >= CACHE_MAX:
        cache.clear()
    cache[(user_id, office.key)] = (allowed, now + CACHE_TTL)
    return allowed
