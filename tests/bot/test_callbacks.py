"""Button data: round trips, and refusal of everything this bot never put on a button."""

from __future__ import annotations

import pytest

from bot.callbacks import Action, CallbackData, InvalidCallback, encode, parse


@pytest.mark.parametrize(
    "action,target,value",
    [
        (Action.TAKE, 1042, None),
        (Action.CATEGORY, 7, "illegal_work"),
        (Action.EDIT_STEP, 9, "description"),
        (Action.LANGUAGE, 0, "en"),
        (Action.RESOLVE, 2**63 - 1, None),
    ],
)
def test_round_trip(action, target, value):
    data = encode(action, target, value)
    assert len(data.encode()) <= 64
    assert parse(data) == CallbackData(action, target, value)


@pytest.mark.parametrize(
    "data",
    [
        None,
        "",
        "2:t:5",  # another version
        "1:t",  # truncated
        "1:t:",  # no id
        "1:zz:5",  # unknown action
        "1:t:-5",
        "1:t:5x",
        "1:t:5:extra",  # value on an action without one
        "1:c:5",  # category without its value
        "1:c:5:Overstay",  # value of the wrong shape
        "1:l:0:fr",  # a language we don't speak
        "1:t:" + "9" * 20,  # beyond 64-bit
        "1:t:9223372036854775808",  # 2**63
        "1:es:1:" + "a" * 60,  # over 64 bytes
        "1:t:1\x00",
        "1:t:5\n",  # `$` would accept a trailing newline; fullmatch does not
        "1:c:5:overstay\n",
        "１:t:1",  # full-width digit
    ],
)
def test_forged_or_broken_data_is_refused(data):
    with pytest.raises(InvalidCallback):
        parse(data)


def test_encoding_refuses_data_over_64_bytes():
    with pytest.raises(ValueError):
        encode(Action.CATEGORY, 2**62, "a" * 24 + "b" * 30)
