"""Button data: a tiny versioned format, built and parsed here and nowhere else.

`1:<action>:<argument>` — e.g. `1:t:1042` (take report 1042), `1:c:overstay:7` (category of draft 7).
Data comes back from Telegram untrusted: anyone can send any bytes as callback_data. Parsing only
checks the shape; the handler checks the meaning (does the draft/report exist, may this user act).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from telegram.constants import InlineKeyboardButtonLimit

VERSION = "1"
MAX_BYTES = InlineKeyboardButtonLimit.MAX_CALLBACK_DATA  # 64


class Action(StrEnum):
    # Resident's draft (argument: draft id; `value` for choices)
    CATEGORY = "c"  # value: category code
    PHOTOS_DONE = "pd"
    PHOTOS_SKIP = "ps"
    SUBMIT = "s"
    EDIT = "e"  # show the list of steps to edit
    EDIT_STEP = "es"  # value: step name
    CANCEL = "x"
    RESUME = "r"
    DISCARD = "d"
    # Language choice (argument: 0, value: language code)
    LANGUAGE = "l"
    # Officers' group (argument: report id)
    TAKE = "t"
    RESOLVE = "v"
    FALSE_REPORT = "f"
    PHOTOS = "p"
    # Supervisors' review queue, in private chats (argument: report id)
    REVIEW_FORWARD = "rf"
    REVIEW_REJECT_MENU = "rm"  # show the reasons to choose from
    REVIEW_REJECT = "rj"  # value: reason code
    REVIEW_RESTRICT = "rr"
    # Follow-up (argument: report id): Ask the reporter, on the group's alert; Answer (under a relayed
    # question) and Add info (/myreports), in the reporter's private chat.
    ASK = "q"
    ANSWER = "a"
    ADD_INFO = "i"
    # Walk-in draft (argument: draft id): skip an optional field / "interviewed by me".
    WALKIN_DEFAULT = "wd"


# Actions whose data carries a value after the id, and what that value may look like.
_VALUE_PATTERNS: dict[Action, re.Pattern[str]] = {
    Action.CATEGORY: re.compile(r"^[a-z][a-z0-9_]{0,23}$"),
    Action.EDIT_STEP: re.compile(r"^[a-z_]{1,24}$"),
    Action.LANGUAGE: re.compile(r"^(id|en)$"),
    Action.REVIEW_REJECT: re.compile(r"^(false|vague|duplicate|abusive)$"),
}

_ID = re.compile(r"^[0-9]{1,19}$")


class InvalidCallback(ValueError):
    """The data is not something this bot ever put on a button."""


@dataclass(frozen=True)
class CallbackData:
    action: Action
    target_id: int
    value: str | None = None

    def encode(self) -> str:
        parts = [VERSION, self.action.value, str(self.target_id)]
        if self.value is not None:
            parts.append(self.value)
        data = ":".join(parts)
        if len(data.encode()) > MAX_BYTES:
            raise ValueError(f"callback data over {MAX_BYTES} bytes: {data!r}")
        return data


def encode(action: Action, target_id: int, value: str | None = None) -> str:
    return CallbackData(action, target_id, value).encode()


def parse(data: str | None) -> CallbackData:
    """Parse untrusted button data, or raise InvalidCallback."""
    if not data or len(data.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise InvalidCallback("empty or too long")
    parts = data.split(":")
    if parts[0] != VERSION:
        raise InvalidCallback("unknown version")
    if len(parts) not in (3, 4):
        raise InvalidCallback("wrong number of parts")
    try:
        action = Action(parts[1])
    except ValueError:
        raise InvalidCallback("unknown action") from None
    if not _ID.fullmatch(parts[2]):
        raise InvalidCallback("bad id")
    target_id = int(parts[2])
    if target_id >= 2**63:
        raise InvalidCallback("id out of range")
    pattern = _VALUE_PATTERNS.get(action)
    if pattern is None:
        if len(parts) != 3:
            raise InvalidCallback("unexpected value")
        return CallbackData(action, target_id)
    if len(parts) != 4 or not pattern.fullmatch(parts[3]):
        raise InvalidCallback("bad value")
    return CallbackData(action, target_id, parts[3])
