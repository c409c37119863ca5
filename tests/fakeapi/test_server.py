"""The HTTP server, driven by PTB's own HTTPXRequest (and raw httpx where PTB can't go)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import threading
import time

import httpx
import pytest
from aiohttp import web
from telegram import Bot, InputMediaPhoto, Update
from telegram.error import BadRequest, InvalidToken, NetworkError, RetryAfter, TimedOut

from bot.fakeapi import FakeBotAPI
from bot.fakeapi.files import make_jpeg
from bot.fakeapi.server import FakeBotServer, ThreadedFakeBotServer

from .conftest import ALICE, GROUP, http_bot_for

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


async def test_send_and_download_over_http(http_bot: Bot, api: FakeBotAPI) -> None:
    assert (await http_bot.get_me()).username == "sipoa_test_bot"
    markup = {"inline_keyboard": [[{"text": "a", "callback_data": "b"}]]}
    await http_bot.send_message(ALICE, "<i>lewat</i> HTTP", parse_mode="HTML", reply_markup=markup)
    assert api.last_bot_message(ALICE)["plain_text"] == "lewat HTTP"
    photo = Update.de_json(api.user_photo(ALICE), http_bot).message.photo[-1]
    data = await (await photo.get_file()).download_as_bytearray()
    assert data[:2] == b"\xff\xd8" and len(data) == photo.file_size
    sent = await http_bot.send_photo(ALICE, make_jpeg(300, 200), caption="unggah")
    assert sent.photo[-1].width == 300
    album = await http_bot.send_media_group(GROUP, [InputMediaPhoto(make_jpeg(20, 20)),
                                                    InputMediaPhoto(make_jpeg(30, 20))])
    assert len(album) == 2
    with pytest.raises(BadRequest, match="(?i)can't parse entities"):
        await http_bot.send_message(ALICE, "<blink>x</blink>", parse_mode="HTML")


async def test_raw_json_query_and_wrong_token(http_server: ThreadedFakeBotServer) -> None:
    async with httpx.AsyncClient(base_url=http_server.base_url.removesuffix("/bot")) as client:
        token = http_server.fake.token
        r = await client.post(f"/bot{token}/sendMessage", json={"chat_id": ALICE, "text": "json"})
        assert r.json()["result"]["text"] == "json"
        r = await client.get(f"/bot{token}/sendMessage", params={"chat_id": ALICE, "text": "q"})
        assert r.json()["ok"] is True
        r = await client.get("/bot1:wrong/getMe")
        assert (r.status_code, r.json()["description"]) == (401, "Unauthorized")
        r = await client.get(f"/file/bot{token}/photos/nothing.jpg")
        assert r.status_code == 404
    with pytest.raises(InvalidToken):
        async with Bot("1:wrong", base_url=http_server.base_url) as bot:
            await bot.get_me()


async def test_http_faults(http_server: ThreadedFakeBotServer, api: FakeBotAPI) -> None:
    async with http_bot_for(http_server, read_timeout=0.5) as bot:
        api.inject("429", method="sendMessage", retry_after=2)
        with pytest.raises(RetryAfter):
            await bot.send_message(ALICE, "a")
        api.inject("500", method="sendMessage")
        with pytest.raises(NetworkError):
            await bot.send_message(ALICE, "b")
        api.inject("reset", method="sendMessage")
        with pytest.raises(NetworkError):
            await bot.send_message(ALICE, "reset after storing")
        api.inject("timeout", method="sendMessage", delay=3)
        started = time.monotonic()
        with pytest.raises(TimedOut):
            await bot.send_message(ALICE, "timed out after storing")
        assert time.monotonic() - started < 2
        api.inject("slow", method="sendMessage", delay=0.2)
        started = time.monotonic()
        await bot.send_message(ALICE, "slow")
        assert time.monotonic() - started >= 0.2
    assert [m["plain_text"] for m in api.bot_messages(ALICE)] == [
        "reset after storing", "timed out after storing", "slow"]


async def test_long_poll_over_http_wakes_on_user_update(http_bot: Bot, api: FakeBotAPI) -> None:
    poll = asyncio.create_task(http_bot.get_updates(timeout=5, read_timeout=7))
    await asyncio.sleep(0.1)
    started = time.monotonic()
    api.user_text(ALICE, "dari thread lain")
    (update,) = await poll
    assert update.message.text == "dari thread lain" and time.monotonic() - started < 1


def test_threaded_server_stops_with_a_pending_long_poll(api: FakeBotAPI) -> None:
    server = ThreadedFakeBotServer(api).start()
    url = f"{server.base_url}{api.token}/getUpdates"

    def poll() -> None:
        with contextlib.suppress(httpx.HTTPError):  # the server goes away mid-poll
            httpx.post(url, data={"timeout": "20"}, timeout=30)

    threading.Thread(target=poll, daemon=True).start()
    time.sleep(0.2)
    started = time.monotonic()
    server.stop()
    assert time.monotonic() - started < 3


async def receiver(hook) -> tuple[web.AppRunner, int]:
    """A webhook receiver on 127.0.0.1 (any path, POST): its runner and port."""
    app = web.Application()
    app.router.add_post("/{name}", hook)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    return runner, runner.addresses[0][1]


async def test_webhook_delivery_round_robin(api: FakeBotAPI) -> None:
    received: list[tuple[str, dict, str | None]] = []

    async def hook(request: web.Request) -> web.Response:
        received.append((request.path, await request.json(),
                         request.headers.get("X-Telegram-Bot-Api-Secret-Token")))
        return web.Response(text="ok")

    runner, port = await receiver(hook)
    server = FakeBotServer(api)
    await server.start()
    try:
        status, _ = await api.handle("setWebhook", {"url": f"http://127.0.0.1:{port}/a",
                                                     "secret_token": "rahasia"})
        assert status == 200
        api.webhook_targets[:] = [f"http://127.0.0.1:{port}/a", f"http://127.0.0.1:{port}/b"]
        for word in ("satu", "dua", "tiga"):
            api.user_text(ALICE, word)
        assert await server.deliver_pending() == 3
        assert [(p, u["message"]["text"], s) for p, u, s in received] == [
            ("/a", "satu", "rahasia"), ("/b", "dua", "rahasia"), ("/a", "tiga", "rahasia")]
        assert api.pending_updates() == []
        with pytest.raises(ValueError):
            await server.deliver_webhook("http://192.0.2.1/x", {"update_id": 1})
        assert json.loads(json.dumps(received[0][1]))["update_id"] > 0
    finally:
        await server.stop()
        await runner.cleanup()


async def test_the_delivery_loop_pushes_updates_as_they_come_and_retries_a_target_that_is_down(api: FakeBotAPI) -> None:
    received: list[str] = []

    async def hook(request: web.Request) -> web.Response:
        received.append((await request.json())["message"]["text"])
        return web.Response(text="ok")

    runner, port = await receiver(hook)
    up = f"http://127.0.0.1:{port}/hook"
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        down = f"http://127.0.0.1:{sock.getsockname()[1]}/hook"  # bound, not listening: refused
    server = FakeBotServer(api)
    await server.start()
    try:
        await api.handle("setWebhook", {"url": up, "secret_token": "rahasia"})
        api.webhook_targets[:] = [down, up]
        server.start_delivery(interval=0.005)
        for word in ("satu", "dua"):
            api.user_text(ALICE, word)
        for _ in range(400):
            if len(received) == 2:
                break
            await asyncio.sleep(0.005)
        assert received == ["satu", "dua"] and api.pending_updates() == []
        # Each update went to the target that was down first, then to the one that was up.
        assert [(url, status) for _, url, status in server.webhook_log] == [(down, 0), (up, 200)] * 2
    finally:
        await server.stop()
        await runner.cleanup()
