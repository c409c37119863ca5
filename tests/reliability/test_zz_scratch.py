from bot.fakeapi.methods import METHODS
from tests.conftest import OFFICER2_ID, OFFICER_ID
from tests.reliability import scenarios
from tests.reliability.test_faults import assert_nothing_lost, rh  # noqa: F401


async def test_scratch(rh, monkeypatch):
    orig = scenarios.inject_mix
    methods = [m for m in METHODS if m not in ("getUpdates", "answerCallbackQuery")]
    monkeypatch.setattr(scenarios, "inject_mix", lambda fake, **kw: orig(fake, methods=methods, **kw))
    figures = await scenarios.run_fault_scenario(rh, reports=200, rate=0.2, seed=5, officers=(OFFICER_ID, OFFICER2_ID))
    assert_nothing_lost(figures)
