"""Is this person an officer, asked from a PRIVATE chat (/walkin, and any officer-only command there)?

In the group, a press already proves membership, so `Services.is_officer` treats an empty
`officers.officer_ids` as "anyone in the group". In a private chat nothing proves it: with a
configured list the list decides; with an empty one Telegram is asked (getChatMember on the
officers' group), and its answer is cached briefly so that a burst of commands costs one call.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from telegram import ChatMember
from telegram.error import BadRequest, Forbidden

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
    if services.is_supervisor(user_id):
        return True
    if services.config.officers.officer_ids:
        return services.is_officer(user_id)
    cache: dict[int, tuple[bool, object]] = services.background.setdefault(CACHE_KEY, {})
    now = services.now()
    hit = cache.get(user_id)
    if hit is not None and hit[1] > now:
        return hit[0]
    try:
        member = await bot.get_chat_member(services.group_chat_id, user_id)
    except (BadRequest, Forbidden) as err:
        # Unknown user, or the bot is not (or no longer) in the group: nobody can be confirmed.
        log.info("event=membership_unknown user=%s error=%s", user_id, err)
        allowed = False
    else:
        allowed = member.status in MEMBER_STATUSES or (
            member.status == ChatMember.RESTRICTED and bool(getattr(member, "is_member", False))
        )
    if len(cache) >= CACHE_MAX:
        cache.clear()
    cache[user_id] = (allowed, now + CACHE_TTL)
    return allowed
