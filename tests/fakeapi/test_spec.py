"""The hand-written parameter table agrees with the machine-readable Bot API spec."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.fakeapi.methods import METHODS

SPEC = Path(__file__).resolve().parents[2].parent / "shared/telegram-bot-api/api.min.json"


@pytest.fixture(scope="module")
def spec_methods() -> dict:
    if not SPEC.exists():
        pytest.skip(f"Bot API spec not available at {SPEC}")
    return json.loads(SPEC.read_text(encoding="utf-8"))["methods"]


def test_every_method_exists_in_the_spec(spec_methods: dict) -> None:
    missing = sorted(set(METHODS) - set(spec_methods))
    assert not missing, f"not Bot API methods: {missing}"


@pytest.mark.parametrize("method", sorted(METHODS))
def test_parameters_and_required_flags_agree(spec_methods: dict, method: str) -> None:
    spec_fields = {f["name"]: f["required"] for f in spec_methods[method].get("fields", [])}
    ours = {p.name: p.required for p in METHODS[method]}
    unknown = sorted(set(ours) - set(spec_fields))
    assert not unknown, f"{method}: parameters not in the spec: {unknown}"
    wrong = {name: req for name, req in ours.items() if spec_fields[name] != req}
    assert not wrong, f"{method}: required flags differ: {wrong}"
    # We promise *all* real parameters, so the bot may use any of them.
    assert set(ours) == set(spec_fields), f"{method}: missing {set(spec_fields) - set(ours)}"
