from bot.ratelimit import RateLimiter

GROUP = -100123
ALICE, BOB = 501, 502


class Clock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def limiter(clock: Clock, **kw) -> RateLimiter:
    return RateLimiter(monotonic=clock, **kw)


def test_group_allows_its_window_then_waits_for_the_oldest_send_to_leave_it():
    clock = Clock()
    rl = limiter(clock, group_per_minute=19)
    for i in range(19):
        assert rl.delay(GROUP) == 0
        rl.record(GROUP)
        clock.t += 1
    assert rl.available(GROUP) == 0
    # The first send was at 1000, it is now 1019: it leaves the window at 1060.
    assert rl.delay(GROUP) == 41
    clock.t = 1060
    assert rl.delay(GROUP) == 0
    assert rl.available(GROUP) == 1


def test_an_album_needs_room_for_all_its_photos():
    clock = Clock()
    rl = limiter(clock, group_per_minute=19)
    rl.record(GROUP, 15)
    assert rl.available(GROUP) == 4
    assert rl.delay(GROUP, 4) == 0
    assert rl.delay(GROUP, 5) == 60


def test_an_album_bigger_than_the_window_goes_once_the_window_is_empty():
    clock = Clock()
    rl = limiter(clock, group_per_minute=3)
    rl.record(GROUP)
    assert rl.delay(GROUP, 10) == 60
    clock.t += 60
    assert rl.delay(GROUP, 10) == 0


def test_private_chats_are_paced_one_a_second_and_independently():
    clock = Clock()
    rl = limiter(clock, private_per_second=1.0)
    rl.record(ALICE)
    assert rl.delay(ALICE) == 1.0
    assert rl.available(ALICE) == 0
    assert rl.delay(BOB) == 0
    clock.t += 1.0
    assert rl.delay(ALICE) == 0


def test_a_full_group_does_not_hold_up_a_resident():
    clock = Clock()
    rl = limiter(clock, group_per_minute=19)
    rl.record(GROUP, 19)
    assert rl.delay(GROUP) > 0
    assert rl.delay(ALICE) == 0


def test_overall_limit_of_thirty_a_second():
    clock = Clock()
    rl = limiter(clock, global_per_second=30)
    for user in range(30):
        rl.record(1000 + user)
    assert rl.global_available() == 0
    assert rl.delay(ALICE) == 1.0
    clock.t += 1.0
    assert rl.global_available() == 30


def test_retry_after_blocks_only_that_chat():
    clock = Clock()
    rl = limiter(clock)
    rl.block(GROUP, 7)
    assert rl.delay(GROUP) == 7
    assert rl.available(GROUP) == 0
    assert rl.delay(ALICE) == 0
    clock.t += 7
    assert rl.delay(GROUP) == 0
