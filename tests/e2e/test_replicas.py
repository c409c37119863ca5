"""Two `sipoa run --webhook` replicas on one PostgreSQL database, the HTTP fake pushing updates to
them round-robin, as a load balancer in front of two machines would.

Residents write whole reports in lockstep (each round, every resident sends their next step and
waits for the answer); with an odd number of residents each one's consecutive updates alternate
between the replicas, so every conversation continues across processes. The group takes 5 messages
a minute here (the bot is configured to 5, the fake answers 429 to a 6th): 9 alerts need the shared
window, since each replica alone would send 5.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import text

from storage.db import Database
from tests.conftest import GROUP_ID, POSTGRES_ADMIN_URL
from tests.e2e.conftest import BotProcess, wait_for
from tests.e2e.webhook_support import SECRET, free_port, listening, message_update
from tests.e2e.test_run_process import DESCRIPTION, LABELS, NUMBER, Person, spread_points
from tests.reliability.support import Deliveries, group_alerts

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.replicas,
    pytest.mark.skipif(not POSTGRES_ADMIN_URL, reason="replicas share a PostgreSQL database: set "
                       "SIPOA_TEST_POSTGRES_URL (.ci/run does, in its PostgreSQL pass)"),
]

PER_MINUTE = 5
RESIDENTS = list(range(7_100_000_001, 7_100_000_010))  # nine: odd, see above
IDLER = 7_100_000_099
MALLORY = 7_100_000_666
EXPIRED_TEXT = "kedaluwarsa karena lama tidak ada balasan"
LABEL = LABELS["id"]


def sql(url: str, statement: str, **params) -> list[tuple]:
    async def run() -> list[tuple]:
        db = Database(url)
        try:
            async with db.transaction() as s:
                result = await s.exec(text(statement), params=params)
                return [tuple(r) for r in result.all()] if result.returns_rows else []
        finally:
            await db.dispose()

    return asyncio.run(run())


def replica(tmp_path: Path, name: str, server, database_url: str, port: int, *, sets_webhook: bool) -> BotProcess:
    folder = tmp_path / name
    folder.mkdir()
    proc = BotProcess(
        folder, server.base_url, server.base_file_url,
        storage={"url": database_url},
        dispatcher={"group_messages_per_minute": PER_MINUTE, "sweep_interval_seconds": 1},
        webhook={"listen": "127.0.0.1", "port": port, "url_path": "/telegram", "secret_token": SECRET,
                 "public_url": f"http://127.0.0.1:{port}/telegram", "set_webhook": sets_webhook},
    )
    proc.args = ["--webhook"]
    return proc


def test_two_webhook_replicas_share_conversations_outbox_limits_and_sweeps(tmp_path, fake_server, database_url):
    # An empty database: the two replicas start together and migrate it once (storage/migrate.py).
    database = database_url
    fake, server = fake_server.fake, fake_server
    fake.group_limit_per_minute = PER_MINUTE
    for uid in (*RESIDENTS, IDLER, MALLORY):
        fake.add_user(uid, f"Warga {uid % 100}", language_code="id")
    port_a, port_b = free_port(), free_port()
    a = replica(tmp_path, "a", server, database, port_a, sets_webhook=True)
    b = replica(tmp_path, "b", server, database, port_b, sets_webhook=False)
    url_a, url_b = f"http://127.0.0.1:{port_a}/telegram", f"http://127.0.0.1:{port_b}/telegram"
    try:
        a.start()
        b.start()
        wait_for(lambda: listening(port_a) and listening(port_b), timeout=30, what="both replicas listening", proc=a)
        wait_for(lambda: fake.webhook is not None, what="replica a's setWebhook", proc=a)

        # The secret: a POST without it, or with a wrong one, is refused before any handler runs.
        assert server.deliver_webhook(url_b, message_update(1, MALLORY, "/start")) == 403
        assert server.deliver_webhook(url_a, message_update(2, MALLORY, "/start"), "wrong-secret") == 403
        time.sleep(0.5)
        assert fake.bot_messages(MALLORY) == []
        assert sql(database, "SELECT id FROM reporter WHERE telegram_id = :t", t=MALLORY) == []

        fake.webhook_targets[:] = [url_a, url_b]
        server.start_delivery()
        numbers = write_reports_in_lockstep(fake, a, b)

        # Every update was delivered, round-robin: each resident's steps went to both replicas.
        delivered = {uid: url for uid, url, status in server.server.webhook_log if status == 200}
        for resident, updates in numbers["updates"].items():
            targets = Counter(delivered[u] for u in updates)
            assert targets[url_a] >= 3 and targets[url_b] >= 3, (resident, targets)
        for proc in (a, b):
            assert "event=report_transition" in proc.log_path.read_text(), f"no report handled\n{proc.log_tail()}"
        assert len(fake.calls_to("setWebhook")) == 1  # replica b left it to replica a

        # The group's 5 a minute held across the two: 5 alerts now, the other 4 waiting their turn.
        wait_for(lambda: len(group_alerts(Deliveries.of(fake), GROUP_ID)) >= PER_MINUTE, what="5 alerts", proc=a)
        time.sleep(2.0)
        assert len(group_alerts(Deliveries.of(fake), GROUP_ID)) == PER_MINUTE
        assert refused_by_flood(fake) == []  # neither replica tried a 6th: the window is shared
        pending = sql(database, "SELECT count(*) FROM outbox WHERE chat_id = :g AND status = 'pending'", g=GROUP_ID)
        assert pending == [(len(RESIDENTS) - PER_MINUTE,)]
        # A minute passes (for the fake's window and the shared one): the rest go, each once.
        sql(database, "UPDATE groupsend SET at = at - interval '61 seconds'")
        fake.reset_rate_limits()
        wait_for(lambda: len(group_alerts(Deliveries.of(fake), GROUP_ID)) == len(RESIDENTS), what="all alerts",
                 proc=a)
        time.sleep(1.0)
        deliveries = Deliveries.of(fake)
        assert group_alerts(deliveries, GROUP_ID) == {n: (1, 0) for n in numbers["numbers"]}
        assert deliveries.doubled() == []
        assert refused_by_flood(fake) == []

        # An idle draft expires once, whichever replica's sweep sees it (the sweep's lease).
        idler = Person(fake, a, IDLER)
        idler.start()
        sql(database, "UPDATE draft SET expires_at = now() - interval '1 minute' WHERE reporter_id = "
                      "(SELECT id FROM reporter WHERE telegram_id = :t)", t=IDLER)
        wait_for(lambda: expiry_notices(fake), what="the expiry notice", proc=a)
        time.sleep(3.0)  # three sweep periods on both replicas
        assert expiry_notices(fake) == 1
        [(holder,)] = sql(database, "SELECT holder FROM joblease WHERE name = 'sweep_drafts'")
        assert holder.endswith((f":{a.popen.pid}", f":{b.popen.pid}"))

        # With the right secret, the same kind of request is served: the 403s above were the secret.
        assert server.deliver_webhook(url_b, message_update(3, MALLORY, "/start"), SECRET) == 200
        wait_for(lambda: fake.bot_messages(MALLORY), what="the served request's reply", proc=b)

        for proc in (a, b):
            assert proc.terminate() == 0, proc.log_tail()
            log = proc.log_path.read_text()
            assert "Traceback" not in log and " ERROR " not in log, proc.log_tail()
    finally:
        a.stop()
        b.stop()


def refused_by_flood(fake) -> list:
    return [c for c in list(fake.calls) if c.status == 429]


def expiry_notices(fake) -> int:
    return sum(EXPIRED_TEXT in (m.get("plain_text") or "") for m in fake.bot_messages(IDLER))


def write_reports_in_lockstep(fake, a: BotProcess, b: BotProcess) -> dict:
    """Each round every resident sends the next step of a report; then all answers are awaited.
    Returns {"numbers": report numbers, "updates": {resident: [update ids]}}."""
    people = [Person(fake, a, uid) for uid in RESIDENTS]
    points = spread_points(len(people))
    last: dict[int, dict] = {}
    updates: dict[int, list[int]] = {p.user_id: [] for p in people}

    def press(p: Person, label: str) -> dict:
        return p.press(last[p.user_id], label)

    steps = [
        (lambda p, i: fake.user_text(p.user_id, "/start"), {"button": LABEL["category"]}),
        (lambda p, i: press(p, LABEL["category"]), {"text": LABEL["location"]}),
        (lambda p, i: fake.user_location(p.user_id, *points[i], horizontal_accuracy=10), {"text": LABEL["description"]}),
        (lambda p, i: fake.user_text(p.user_id, DESCRIPTION.format(n=i + 1)), {"button": LABEL["skip"]}),
        (lambda p, i: fake.user_photo(p.user_id), {"button": LABEL["done"]}),
        (lambda p, i: press(p, LABEL["done"]), {"button": LABEL["submit"]}),
        (lambda p, i: press(p, LABEL["submit"]), {"text": LABEL["sent"]}),
    ]
    for send, expect in steps:
        time.sleep(1.0)  # people read before they answer (and the fake allows 5 messages a second per chat)
        seen = {p.user_id: p.seen() for p in people}
        for i, p in enumerate(people):
            updates[p.user_id].append(send(p, i)["update_id"])
        for p in people:
            last[p.user_id] = p.wait_bot(after=seen[p.user_id], timeout=20, **expect)
    numbers = [NUMBER.search(last[p.user_id]["plain_text"]).group(0) for p in people]
    assert len(set(numbers)) == len(people)
    # No conversation fell apart between replicas: nobody was told to start again or that it expired.
    for p in people:
        said = [m.get("plain_text") or "" for m in fake.bot_messages(p.user_id)]
        assert not [s for s in said if "Ketik /start" in s or EXPIRED_TEXT in s], said
    return {"numbers": numbers, "updates": updates}
