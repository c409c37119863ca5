"""`sipoa run --webhook` on its own (SQLite): it sets the webhook, serves updates posted with the
secret, and refuses (403) the ones without it. Replicas: tests/e2e/test_replicas.py."""

from __future__ import annotations

import pytest

from tests.conftest import RESIDENT_ID
from tests.e2e.conftest import wait_for
from tests.e2e.webhook_support import SECRET, free_port, listening, message_update

pytestmark = pytest.mark.e2e


def test_webhook_mode_serves_updates_with_the_secret_only(fake_server, bot_process):
    fake, port = fake_server.fake, free_port()
    url = f"http://127.0.0.1:{port}/hook"
    proc = bot_process(webhook={"port": port, "url_path": "hook", "secret_token": SECRET, "public_url": url})
    proc.args = ["--webhook"]
    proc.start()
    wait_for(lambda: listening(port) and fake.webhook, what="the webhook set and served", proc=proc)
    assert fake.webhook["url"] == url and fake.webhook["secret_token"] == SECRET

    assert fake_server.deliver_webhook(url, message_update(1, RESIDENT_ID, "/start")) == 403
    assert fake_server.deliver_webhook(url, message_update(2, RESIDENT_ID, "/start"), SECRET[:-1]) == 403
    # The fake pushes what residents send, as Telegram would.
    fake_server.start_delivery()
    fake.user_text(RESIDENT_ID, "/start")
    wait_for(lambda: [m for m in fake.bot_messages(RESIDENT_ID) if fake.buttons(m)], what="the category menu",
             proc=proc)
    assert len(fake.bot_messages(RESIDENT_ID)) == 2  # the welcome and the menu: nothing for the 403s
    assert proc.query("SELECT count(*) FROM draft") == [(1,)]

    assert proc.terminate() == 0, proc.log_tail()
    assert "Traceback" not in proc.log_path.read_text(), proc.log_tail()
