"""Fault injection through the in-process transport."""

from __future__ import annotations

import asyncio
import time

import pytest
from telegram import Bot
from telegram.error import NetworkError, RetryAfter, TimedOut

from bot.fakeapi import FakeBotAPI, FakeRequest

from .conftest import ALICE

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


async def test_error_answers_happen_before_any_effect(bot: Bot, api: FakeBotAPI) -> None:
    api.inject("429", method="sendMessage", retry_after=3)
    with pytest.raises(RetryAfter):
        await bot.send_message(ALICE, "x")
    api.inject("500")
    with pytest.raises(NetworkError, match="Internal Server Error"):
        await bot.send_message(ALICE, "x")
    api.inject("502")
    with pytest.raises(NetworkError, match="Bad Gateway"):
        await bot.send_message(ALICE, "x")
    assert api.bot_messages(ALICE) == []
    assert [f["kind"] for f in api.faults_injected] == ["429", "500", "502"]
    assert api.rejected == []  # injected faults are not the bot's fault
    await bot.send_message(ALICE, "x")  # each fault fired once (count defaults to 1)


async def test_timeout_and_reset_default_to_after_the_effect(bot: Bot, api: FakeBotAPI) -> None:
    api.inject("timeout", method="sendMessage")
    with pytest.raises(TimedOut):
        await bot.send_message(ALICE, "sent, but the bot never heard back")
    api.inject("reset", method="sendMessage")
    with pytest.raises(NetworkError):
        await bot.send_message(ALICE, "this one too")
    assert [m["plain_text"] for m in api.bot_messages(ALICE)] == [
        "sent, but the bot never heard back", "this one too"]
    api.inject("reset", method="sendMessage", after_effect=False)
    with pytest.raises(NetworkError):
        await bot.send_message(ALICE, "lost before arriving")
    assert len(api.bot_messages(ALICE)) == 2


async def test_slow_answers_and_client_read_timeout(api: FakeBotAPI) -> None:
    async with Bot(api.token, request=FakeRequest(api, read_timeout=0.3)) as bot:
        api.inject("slow", method="sendMessage", delay=0.1)
        started = time.monotonic()
        await bot.send_message(ALICE, "pelan")
        assert time.monotonic() - started >= 0.1
        api.inject("slow", method="sendMessage", delay=0.5)
        with pytest.raises(TimedOut):
            await bot.send_message(ALICE, "terlalu pelan")
        assert [m["plain_text"] for m in api.bot_messages(ALICE)] == ["pelan"]
        # The client gave up, but the server still does the work (as over HTTP).
        await asyncio.sleep(0.4)
    assert [m["plain_text"] for m in api.bot_messages(ALICE)] == ["pelan", "terlalu pelan"]


async def test_count_rate_seed_and_method_matching(bot: Bot, api: FakeBotAPI) -> None:
    api.inject("500", count=2)
    for _ in range(2):
        with pytest.raises(NetworkError):
            await bot.get_me()
    assert await bot.get_updates() == ()  # getUpdates is only affected when named
    await bot.get_me()

    def pattern(seed: int) -> list[bool]:
        fake = FakeBotAPI()
        fake.inject("500", rate=0.5, seed=seed)
        hits = []
        for _ in range(20):
            hits.append(fake._take_fault("sendMessage") is not None)
        return hits

    assert pattern(7) == pattern(7) and 3 < sum(pattern(7)) < 17
    api.inject("500", method="getUpdates", rate=1.0)
    with pytest.raises(NetworkError):
        await bot.get_updates()
    api.clear_faults()
    assert await bot.get_updates() == ()
    with pytest.raises(ValueError):
        api.inject("404")
