"""The real `sipoa run` process (python -m bot run) against the fake Bot API over HTTP.

What only a real process can show: long polling, the background dispatcher on real time and the
group's real 20-per-minute limit, SIGTERM shutdown, and SIGKILL followed by a restart on the same
SQLite file. Both sides run on real time, so the 50-residents test takes about three minutes: the
group accepts 20 messages a minute and the bot stays at 19.
"""

from __future__ import annotations

import re
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from bot.geo import Jurisdiction
from tests.conftest import GROUP_ID, IN_AREA, OFFICER_ID, OUTSIDER_ID, RESIDENT2_ID, RESIDENT_ID, SUPERVISOR_ID
from tests.e2e.conftest import BotProcess, wait_for

pytestmark = pytest.mark.e2e

LABELS = {
    "id": {"category": "Izin tinggal", "skip": "Lewati", "done": "Selesai", "submit": "Kirim",
           "location": "2/5", "description": "3/5", "photos": "4/5", "review": "5/5", "sent": "Laporan terkirim"},
    "en": {"category": "Overstaying", "skip": "Skip", "done": "Done", "submit": "Submit",
           "location": "2/5", "description": "3/5", "photos": "4/5", "review": "5/5", "sent": "Report sent"},
}
# Concrete enough for any screening: who, what, where, since when.
DESCRIPTION = "Dua warga negara asing bekerja di bengkel las Jalan Melati nomor {n} setiap hari sejak Januari."
NUMBER = re.compile(r"\b[A-Z]{2,6}-\d{4}-\d{6}\b")
OFFICERS = {"officer_ids": [OFFICER_ID]}


class Person:
    """A resident driven step by step: each step injects an update and waits for the bot's answer."""

    def __init__(self, fake, proc: BotProcess, user_id: int, lang: str = "id"):
        self.fake, self.proc, self.user_id, self.labels = fake, proc, user_id, LABELS[lang]

    def seen(self) -> int:
        return len(self.fake.bot_messages(self.user_id))

    def wait_bot(self, *, after: int, text: str | None = None, button: str | None = None,
                 timeout: float = 15.0) -> dict:
        def find():
            for msg in self.fake.bot_messages(self.user_id)[after:]:
                if text is not None and text not in (msg.get("plain_text") or ""):
                    continue
                if button is not None and not self.button(msg, button):
                    continue
                return msg
            return None

        return wait_for(find, timeout=timeout, proc=self.proc,
                        what=f"a reply to {self.user_id} with {text or ''}{button or ''}")

    def button(self, msg: dict, label: str) -> str | None:
        for row in self.fake.buttons(msg):
            for text, data in row:
                if label.lower() in text.lower():
                    return data
        return None

    def press(self, msg: dict, label: str) -> dict:
        data = self.button(msg, label)
        assert data, f"no {label!r} button on {msg.get('plain_text')!r}"
        return self.fake.user_press(self.user_id, self.user_id, msg["message_id"], data)

    # --- the steps of a report -------------------------------------------------------------------
    def start(self) -> dict:
        n = self.seen()
        self.fake.user_text(self.user_id, "/start")
        return self.wait_bot(after=n, button=self.labels["category"])

    def choose_category(self, menu: dict) -> None:
        n = self.seen()
        self.press(menu, self.labels["category"])
        self.wait_bot(after=n, text=self.labels["location"])

    def send_location(self, lat: float, lon: float) -> None:
        n = self.seen()
        self.fake.user_location(self.user_id, lat, lon, horizontal_accuracy=10)
        self.wait_bot(after=n, text=self.labels["description"])

    def describe(self, text: str) -> dict:
        n = self.seen()
        self.fake.user_text(self.user_id, text)
        return self.wait_bot(after=n, button=self.labels["skip"])

    def skip_photos(self, prompt: dict) -> dict:
        n = self.seen()
        self.press(prompt, self.labels["skip"])
        return self.wait_bot(after=n, button=self.labels["submit"])

    def photo_and_done(self) -> dict:
        n = self.seen()
        self.fake.user_photo(self.user_id)
        done = self.wait_bot(after=n, button=self.labels["done"])
        n = self.seen()
        self.press(done, self.labels["done"])
        return self.wait_bot(after=n, button=self.labels["submit"])

    def up_to_review(self, lat: float, lon: float, n: int = 1, photo: bool = False, pause: float = 0.0) -> dict:
        menu = self.start()
        time.sleep(pause)
        self.choose_category(menu)
        time.sleep(pause)
        self.send_location(lat, lon)
        time.sleep(pause)
        prompt = self.describe(DESCRIPTION.format(n=n))
        time.sleep(pause)
        return self.photo_and_done() if photo else self.skip_photos(prompt)

    def submit(self, review: dict, *, wait: bool = True) -> tuple[int, str | None]:
        """Press Submit; returns (the update's id, the report number once confirmed)."""
        n = self.seen()
        update = self.press(review, self.labels["submit"])
        if not wait:
            return update["update_id"], None
        confirmation = self.wait_bot(after=n, text=self.labels["sent"])
        return update["update_id"], NUMBER.search(confirmation["plain_text"]).group(0)


def alerts_in_group(fake) -> dict[str, int]:
    """Report number -> how many alert messages the group holds for it (must be 1 each)."""
    counts: dict[str, int] = {}
    for msg in fake.bot_messages(GROUP_ID):
        text = msg.get("plain_text") or ""
        found = re.match(r"🚨 Laporan (\S+)", text)
        if found:
            counts[found.group(1)] = counts.get(found.group(1), 0) + 1
    return counts


def fetched_at(fake, update_id: int) -> float | None:
    """When the bot's getUpdates call that carried this update was answered."""
    for call in list(fake.calls):
        if call.method == "getUpdates" and call.ok and any(u["update_id"] == update_id for u in call.result or []):
            return call.at
    return None


def alert_sent_at(fake, number: str) -> float | None:
    for call in list(fake.calls):
        if call.ok and call.method in ("sendMessage", "sendPhoto") and str(call.params.get("chat_id")) == str(GROUP_ID):
            body = call.params.get("text") or call.params.get("caption") or ""
            if number in body:
                return call.at
    return None


def spread_points(count: int) -> list[tuple[float, float]]:
    """Points in the jurisdiction at least ~400 m apart: many residents at one spot is a pattern
    the screening holds for review, which is not what these tests are about."""
    jurisdiction = Jurisdiction.default()
    lat0, lon0, lat1, lon1 = jurisdiction.bbox
    points = []
    lat = lat0
    while lat < lat1 and len(points) < count:
        lon = lon0
        while lon < lon1 and len(points) < count:
            if jurisdiction.contains(lat, lon):
                points.append((round(lat, 5), round(lon, 5)))
            lon += 0.0041
        lat += 0.0041
    assert len(points) == count
    return points


# --- the tests ---------------------------------------------------------------------------------


def test_stats_answers_the_supervisor_and_refuses_others_then_sigterm_exits_0(fake_server, bot_process):
    fake = fake_server.fake
    proc = bot_process().start()
    fake.user_text(SUPERVISOR_ID, "/stats")
    reply = wait_for(lambda: fake.last_bot_message(SUPERVISOR_ID), what="the /stats answer", proc=proc)
    assert "Statistik laporan" in reply["plain_text"] and "Semua waktu: 0 laporan" in reply["plain_text"]
    fake.user_text(RESIDENT_ID, "/stats")
    refusal = wait_for(lambda: fake.last_bot_message(RESIDENT_ID), what="the refusal", proc=proc)
    assert refusal["plain_text"] == "Maaf, Anda tidak berwenang melakukan ini."
    fake.user_text(OFFICER_ID, "/stats", chat_id=GROUP_ID)
    fake.user_text(SUPERVISOR_ID, "/stats", chat_id=GROUP_ID)
    in_group = wait_for(lambda: fake.bot_messages(GROUP_ID), what="the group reply", proc=proc)
    assert [m["plain_text"] for m in in_group] == ["Silakan gunakan perintah ini dalam chat pribadi dengan bot."]

    assert proc.terminate() == 0, proc.log_tail()
    log = proc.log_path.read_text()
    assert "Traceback" not in log, proc.log_tail()


def test_a_report_end_to_end_alert_within_a_second_then_take_resolve_and_stats(fake_server, bot_process):
    fake = fake_server.fake
    proc = bot_process(officers=OFFICERS).start()
    budi = Person(fake, proc, RESIDENT_ID)
    review = budi.up_to_review(*IN_AREA, photo=True)
    update_id, number = budi.submit(review)

    alert = wait_for(lambda: alert_sent_at(fake, number), timeout=5, what="the alert", proc=proc)
    latency = alert - fetched_at(fake, update_id)
    print(f"\nconfirmation update fetched -> alert in the group: {latency * 1000:.0f} ms")
    assert 0 <= latency < 1.0
    (alert_msg,) = [m for m in fake.bot_messages(GROUP_ID) if number in (m.get("plain_text") or "")]
    # Officers never see who reported (default config).
    assert "Budi" not in alert_msg["plain_text"] and "budi_warga" not in alert_msg["plain_text"]

    # A person presses a button seconds after the alert appears, by then the bot has recorded which
    # message is the report's alert (a press before that is refused as "not this report's alert").
    wait_for(lambda: proc.query("SELECT alert_message_id FROM report WHERE number = ?", number)[0][0],
             what="the alert recorded", proc=proc)
    # A stranger's press is refused; the officer takes and resolves; the resident hears of both.
    seen = budi.seen()
    take = next(d for row in fake.buttons(alert_msg) for t, d in row if "Tangani" in t)
    fake.user_press(OUTSIDER_ID, GROUP_ID, alert_msg["message_id"], take)
    fake.user_press(OFFICER_ID, GROUP_ID, alert_msg["message_id"], take)
    budi.wait_bot(after=seen, text="sedang ditangani")
    def alert_taken():
        for m in fake.bot_messages(GROUP_ID):
            if m["message_id"] == alert_msg["message_id"] and "Ditangani oleh Agus" in (m["plain_text"] or ""):
                return m
        return None

    taken = wait_for(alert_taken, what="the alert edited to taken", proc=proc)
    resolve = next(d for row in fake.buttons(taken) for t, d in row if "Selesai" in t)
    seen = budi.seen()
    fake.user_press(OFFICER_ID, GROUP_ID, alert_msg["message_id"], resolve)
    budi.wait_bot(after=seen, text="selesai ditindaklanjuti")
    # The last three presses were the group's: a refusal, then the officer's two.
    answers = [a["text"] for a in fake.answered_callbacks][-3:]
    assert answers == ["Maaf, Anda tidak terdaftar sebagai petugas.", f"Anda menangani {number}.",
                       f"{number} ditandai selesai."]

    fake.user_text(SUPERVISOR_ID, "/stats")
    stats = wait_for(lambda: fake.last_bot_message(SUPERVISOR_ID), what="/stats", proc=proc)
    assert "Hari ini: 1 laporan\nStatus: baru 0 · ditangani 0 · selesai 1 · laporan palsu 0" in stats["plain_text"]
    fake.user_text(RESIDENT2_ID, "/stats")
    refusal = wait_for(lambda: fake.last_bot_message(RESIDENT2_ID), what="the refusal", proc=proc)
    assert refusal["plain_text"] == "Sorry, you are not allowed to do this."

    assert proc.query("SELECT number, status FROM report") == [(number, "resolved")]
    assert proc.terminate() == 0, proc.log_tail()
    assert "Traceback" not in proc.log_path.read_text(), proc.log_tail()


def test_sigkill_mid_conversation_and_after_a_confirmation_then_restart(fake_server, bot_process):
    fake = fake_server.fake
    proc = bot_process().start()
    alice = Person(fake, proc, RESIDENT2_ID, "en")
    budi = Person(fake, proc, RESIDENT_ID)
    # Alice stops mid-conversation, at the description.
    alice.choose_category(alice.start())
    alice.send_location(*IN_AREA)
    # Budi confirms; his alert (a photo) is refused once with 429 so that it is certainly still
    # queued when the process dies: the one window that cannot be closed (Telegram accepted the
    # message, the process died before recording it) is not what this test is about.
    review = budi.up_to_review(-6.2297, 106.7108, photo=True)
    fake.inject("429", method="sendPhoto", retry_after=3)
    _, number = budi.submit(review)
    proc.kill()
    assert proc.query("SELECT number FROM report") == [(number,)]

    proc.start()
    # Alice carries on where she was: the description, then the photo step.
    prompt = alice.describe(DESCRIPTION.format(n=7))
    assert "4/5" in prompt["plain_text"]
    _, alice_number = alice.submit(alice.skip_photos(prompt))
    # If the dead process had claimed Budi's alert, its lease (60 s) must run out before another
    # dispatcher may send it, and the group's alerts keep their order behind it.
    restarted = time.monotonic()
    wait_for(lambda: len(alerts_in_group(fake)) == 2, timeout=90, what="both alerts", proc=proc)
    print(f"\nboth alerts in the group {time.monotonic() - restarted:.1f} s after the restart")

    time.sleep(1.5)  # a duplicate would be sent within the dispatcher's next rounds
    counts = alerts_in_group(fake)
    stored = sorted(n for (n,) in proc.query("SELECT number FROM report"))
    assert stored == sorted([number, alice_number])
    assert counts == {number: 1, alice_number: 1}
    assert proc.terminate() == 0, proc.log_tail()


def test_fifty_residents_in_one_minute_all_alerts_reach_the_group_once_and_replies_stay_fast(
    fake_server, bot_process
):
    """Real time, about three minutes: the group takes 20 messages a minute, the bot sends 19."""
    fake = fake_server.fake
    proc = bot_process(officers=OFFICERS).start()
    people = []
    for i, point in enumerate(spread_points(50)):
        fake.add_user(8_000_000_001 + i, f"Warga{i:02d}", language_code="id")
        people.append((Person(fake, proc, 8_000_000_001 + i), point, i + 1))
    # Four at a time write their reports up to the review (the fake is thread-safe), pausing between
    # steps: a script types a hundred times faster than a person, and flooding Telegram's global
    # 30-messages-a-second limit with replies is not what this test is about.
    with ThreadPoolExecutor(max_workers=4) as pool:
        reviews = list(pool.map(lambda p: p[0].up_to_review(*p[1], n=p[2], pause=0.3), people))
    residents = [(person, review) for (person, _, _), review in zip(people, reviews)]

    # All fifty confirm within ten seconds.
    started = time.monotonic()
    pressed = []
    for person, review in residents:
        pressed.append((person, person.seen(), person.submit(review, wait=False)[0]))
        time.sleep(0.2)
    numbers = []
    for person, seen, _ in pressed:
        confirmation = person.wait_bot(after=seen, text="Laporan terkirim", timeout=30)
        numbers.append(NUMBER.search(confirmation["plain_text"]).group(0))
    confirmed_in = time.monotonic() - started
    assert confirmed_in < 60, confirmed_in
    assert len(set(numbers)) == 50

    # While the group's queue drains, another resident writes a whole report: every answer is quick.
    assert len(alerts_in_group(fake)) < 50
    budi = Person(fake, proc, RESIDENT_ID)
    slowest = 0.0
    steps = [
        lambda: budi.choose_category(budi.start()),
        lambda: budi.send_location(-6.2297, 106.7108),
    ]
    for step in steps:
        t0 = time.monotonic()
        step()
        slowest = max(slowest, time.monotonic() - t0)
    t0 = time.monotonic()
    prompt = budi.describe(DESCRIPTION.format(n=99))
    review = budi.skip_photos(prompt)
    slowest = max(slowest, (time.monotonic() - t0) / 2)
    t0 = time.monotonic()
    _, budi_number = budi.submit(review)
    slowest = max(slowest, time.monotonic() - t0)
    pending = 51 - len(alerts_in_group(fake))
    print(f"\nslowest answer to a resident while the group queue drained: {slowest * 1000:.0f} ms "
          f"({pending} alerts still queued after his confirmation)")
    assert slowest < 2.0
    assert pending > 0

    wait_for(lambda: len(alerts_in_group(fake)) >= 51, timeout=240, what="all 51 alerts", proc=proc)
    drained_in = time.monotonic() - started
    time.sleep(2)  # a duplicate would show up within the dispatcher's next rounds
    counts = alerts_in_group(fake)
    assert counts == {n: 1 for n in numbers + [budi_number]}
    refused = [c for c in fake.calls if c.status == 429 and c.fault is None]
    refused_in_group = [c for c in refused if str(c.params.get("chat_id")) == str(GROUP_ID)]
    group_sends = [c for c in fake.calls if c.ok and str(c.params.get("chat_id")) == str(GROUP_ID)]
    print(f"50 confirmations in {confirmed_in:.1f} s; all 51 alerts in the group {drained_in:.0f} s after the "
          f"first press; 429 answers from the fake (each retried): {len(refused_in_group)} to group sends, "
          f"{len(refused) - len(refused_in_group)} to private replies; {len(group_sends)} group sends")
    assert not [c for c in fake.calls if not c.ok and c.fault is None and c.status != 429], "calls Telegram would refuse"
    assert proc.query("SELECT COUNT(*) FROM report") == [(51,)]
    assert proc.terminate() == 0, proc.log_tail()
    assert "Traceback" not in proc.log_path.read_text(), proc.log_tail()
