from bot.screening.phone import hash_phone, is_own_contact, normalize_phone, phone_matches


def test_normalize_local_and_international_forms():
    assert normalize_phone("0812-3456 789") == normalize_phone("+62 812 3456 789") == "628123456789"


def test_hash_never_contains_the_number_and_is_salted():
    a, b = hash_phone("+628123456789", rounds=1000), hash_phone("+628123456789", rounds=1000)
    assert "8123456789" not in a and a != b and len(a) < 128


def test_stored_hash_checks_a_number_given_at_the_desk():
    stored = hash_phone("+62 812 3456 789", rounds=1000)
    assert phone_matches("0812 3456 789", stored)
    assert not phone_matches("0812 3456 780", stored)
    assert not phone_matches("0812 3456 789", None) and not phone_matches("0812", "garbage")


def test_only_ones_own_contact_verifies():
    assert is_own_contact(5001, 5001)
    assert not is_own_contact(5002, 5001)
    assert not is_own_contact(None, 5001)  # a contact card without a Telegram account
