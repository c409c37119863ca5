"""Fixtures for the fake Bot API's own tests (names chosen not to clash with tests/conftest.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
from telegram import Bot
from telegram.request import HTTPXRequest

from bot.fakeapi import FakeBotAPI, FakeRequest
from bot.fakeapi.server import ThreadedFakeBotServer

ALICE = 5_000_000_101
BUDI = 5_000_000_102
GROUP = -1_001_234_567_890


class VClock:
    """Injected monotonic clock for the fake's rate-limit windows."""

    def __init__(self) -> None:
        self.value = 1000.0

    def __call__(self) -> float:
        return self.value

    def advance(self, seconds: float) -> None:
        self.value += seconds


@pytest.fixture
def vclock() -> VClock:
    return VClock()


@pytest.fixture
def api(vclock: VClock) -> FakeBotAPI:
    fake = FakeBotAPI(clock=vclock)
    fake.add_user(ALICE, "Alice", username="alice", language_code="en")
    fake.add_user(BUDI, "Budi")
    fake.add_group(GROUP, "Petugas", members=[ALICE, BUDI])
    return fake


@pytest.fixture
async def bot(api: FakeBotAPI) -> AsyncIterator[Bot]:
    """A real PTB Bot on the in-process transport."""
    async with Bot(api.token, request=FakeRequest(api), get_updates_request=FakeRequest(api)) as b:
        yield b


@pytest.fixture
def http_server(api: FakeBotAPI) -> Iterator[ThreadedFakeBotServer]:
    server = ThreadedFakeBotServer(api).start()
    yield server
    server.stop()


def http_bot_for(server: ThreadedFakeBotServer, *, read_timeout: float = 2.0) -> Bot:
    return Bot(
        server.fake.token,
        base_url=server.base_url,
        base_file_url=server.base_file_url,
        request=HTTPXRequest(read_timeout=read_timeout, connect_timeout=2.0),
        get_updates_request=HTTPXRequest(read_timeout=read_timeout, connect_timeout=2.0),
    )


@pytest.fixture
async def http_bot(http_server: ThreadedFakeBotServer) -> AsyncIterator[Bot]:
    """A real PTB Bot with PTB's own HTTPXRequest, talking to the threaded HTTP server."""
    async with http_bot_for(http_server) as b:
        yield b
