"""bot/offices.py: which office a point, a typed address, a group or a person belongs to; and the
[[offices]] config that builds it (derivation from the single-office keys, validation)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import Config, ConfigError, parse_config
from bot.geo import Jurisdiction
from bot.offices import Offices

JKS_GEOJSON = Path(__file__).resolve().parents[2] / "bot" / "data" / "jakarta_selatan.geojson"
TNG_POINT = (-6.1783, 106.6319)  # Kota Tangerang
TANGSEL_POINT = (-6.2886, 106.7179)  # Ciputat, Kota Tangerang Selatan
JKS_POINT = (-6.2615, 106.8106)  # Kebayoran Baru, Jakarta Selatan
MONAS = (-6.1754, 106.8272)  # Jakarta Pusat: neither office's

NATIONAL, TNG_SPV, JKS_SPV, JKS_OFFICER = 1, 2, 3, 4


def two_offices(**jks: object) -> Config:
    return Config.model_validate({
        "officers": {"supervisor_ids": [NATIONAL]},
        "offices": [
            {"name": "Kanim Tangerang", "report_prefix": "TNG", "group_chat_id": -100, "supervisor_ids": [TNG_SPV]},
            {"name": "Kanim Jakarta Selatan", "report_prefix": "JKS", "group_chat_id": -200,
             "jurisdiction": str(JKS_GEOJSON), "supervisor_ids": [JKS_SPV], "officer_ids": [JKS_OFFICER],
             "area_names": ["Jaksel"], **jks},
        ],
    })


@pytest.fixture(scope="module")
def offices() -> Offices:
    return Offices.from_config(two_offices())


def test_the_shipped_jakarta_selatan_area_has_its_ten_kecamatan_and_borders_tangerang_selatan():
    area = Jurisdiction.from_geojson(JKS_GEOJSON)
    assert area.name == "Jakarta Selatan"
    assert {a.kabupaten_kota for a in area.areas} == {"Kota Administrasi Jakarta Selatan"}
    assert len(area.areas) == 10 and {"Kebayoran Baru", "Cilandak", "Tebet"} <= {a.kecamatan for a in area.areas}
    assert area.metadata["source"]["license"] == "MIT"
    assert area.locate(*JKS_POINT).kecamatan == "Kebayoran Baru"
    assert area.locate(*TANGSEL_POINT) is None and area.locate(*MONAS) is None


def test_a_point_goes_to_the_office_whose_area_holds_it(offices):
    office, area = offices.locate(*TNG_POINT)
    assert (office.key, area.kabupaten_kota) == ("TNG", "Kota Tangerang")
    assert offices.locate(*TANGSEL_POINT)[0].key == "TNG"
    office, area = offices.locate(*JKS_POINT)
    assert (office.key, area.label()) == ("JKS", "Kebayoran Baru, Kota Administrasi Jakarta Selatan")
    assert offices.locate(*MONAS) is None
    assert offices.locate(91.0, 0.0) is None


def test_the_nearest_office_of_a_point_outside_every_area(offices):
    assert offices.nearest(*MONAS).key == "JKS"  # Monas is a few km north of Jakarta Selatan
    assert offices.nearest(-6.05, 106.40).key == "TNG"  # the sea off Kabupaten Tangerang


@pytest.mark.parametrize("typed, key", [
    ("Jl. Wolter Monginsidi No. 12, Kebayoran Baru", "JKS"),
    ("jl. raya pasar minggu 5, jakarta selatan", "JKS"),
    ("Gang Mawar 3, JAKSEL", "JKS"),  # the office's own area_names
    ("Jl. Merdeka No. 5, Ciledug", "TNG"),
    ("Perumahan Bintaro, Pondok Aren, Tangerang Selatan", "TNG"),
    ("Kabupaten Tangerang, Kecamatan Kosambi", "TNG"),
    ("Jl. Setiabudi Raya", "JKS"),
    ("Jl. Sudirman No. 1 dekat pasar", None),  # names no area
    ("Tebet atau Rajeg?", None),  # two offices' areas, equally long names: undecided
    ("Tangerangan Baru", None),  # whole words only
])
def test_a_typed_address_goes_to_the_office_whose_area_it_names(offices, typed, key):
    office = offices.by_area_name(typed)
    assert (office.key if office else None) == key


def test_the_longest_name_decides_between_offices(offices):
    # "Pasar Minggu" (JKS) is longer than "Tangerang" (TNG).
    assert offices.by_area_name("Jl. Raya Pasar Minggu, Tangerang").key == "JKS"


def test_groups_follow_a_migration(offices):
    local = Offices.from_config(two_offices())
    assert local.for_group(-200).key == "JKS" and local.for_group(-100).key == "TNG"
    assert local.for_group(-300) is None and local.for_group(None) is None
    local.set_group("JKS", -1000200)
    assert local.group_id("JKS") == -1000200 and local.for_group(-1000200).key == "JKS"
    assert local.for_group(-200) is None
    assert local.group_id("XYZ") == local.group_id(None) == -100  # unknown: the first office's
    assert local.settings_suffix("JKS") == "JKS"


def test_national_and_office_supervisors(offices):
    assert offices.is_national_supervisor(NATIONAL) and not offices.is_national_supervisor(JKS_SPV)
    assert [o.key for o in offices.supervised_offices(NATIONAL)] == ["TNG", "JKS"]
    assert [o.key for o in offices.supervised_offices(JKS_SPV)] == ["JKS"]
    assert offices.supervised_offices(JKS_OFFICER) == []
    assert offices.is_supervisor(TNG_SPV) and not offices.is_supervisor(JKS_OFFICER)
    assert offices.supervises("JKS", NATIONAL) and offices.supervises("JKS", JKS_SPV)
    assert not offices.supervises("TNG", JKS_SPV)


def test_officers_of_an_office(offices):
    # JKS lists its officers: only they, its supervisors and the national ones act in its group.
    assert offices.is_officer("JKS", JKS_OFFICER) and offices.is_officer("JKS", JKS_SPV)
    assert offices.is_officer("JKS", NATIONAL) and not offices.is_officer("JKS", 99)
    assert not offices.is_officer("JKS", TNG_SPV)
    # TNG lists none: anyone in its group.
    assert offices.is_officer("TNG", 99)
    assert not offices.is_officer("XYZ", NATIONAL)
    assert [o.key for o in offices.listed_offices(JKS_OFFICER)] == ["JKS"]


def test_a_finished_draft_goes_to_its_recorded_office_else_its_point_else_the_first(offices):
    assert offices.for_draft("JKS", None, None).key == "JKS"
    assert offices.for_draft(None, *JKS_POINT).key == "JKS"
    assert offices.for_draft("GONE", *JKS_POINT).key == "JKS"
    assert offices.for_draft(None, *MONAS).key == "TNG"
    assert offices.for_draft(None, None, None).key == "TNG"


def test_the_territory_joins_every_area_and_office_regions(offices):
    territory = offices.territory()
    assert territory.contains(*TNG_POINT) and territory.contains(*JKS_POINT) and not territory.contains(*MONAS)
    assert offices.get("JKS").regions() == ["Kota Administrasi Jakarta Selatan"]
    assert offices.get("TNG").regions() == ["Kabupaten Tangerang", "Kota Tangerang", "Kota Tangerang Selatan"]


def test_a_single_office_config_is_one_office_from_the_old_keys():
    config = Config.model_validate({"officers": {"group_chat_id": -5, "supervisor_ids": [7], "officer_ids": [8]},
                                    "office": {"name": "Kanim X", "report_prefix": "XYZ"}})
    offices = Offices.from_config(config)
    assert offices.single and len(offices) == 1
    office = offices.primary
    assert (office.key, office.name, office.group_chat_id) == ("XYZ", "Kanim X", -5)
    assert office.jurisdiction is Jurisdiction.default()
    # Its supervisors see everything, as before: they are the national ones.
    assert offices.is_national_supervisor(7) and offices.is_officer("XYZ", 8) and not offices.is_officer("XYZ", 9)
    assert offices.by_area_name("anything at all") is office  # one office takes every typed address
    assert offices.settings_suffix("XYZ") is None  # its group settings keep their old names
    assert offices.territory() is office.jurisdiction


def test_offices_that_share_a_file_share_its_parsed_area():
    config = two_offices(jurisdiction="")
    offices = Offices.from_config(config)
    assert offices.get("TNG").jurisdiction is offices.get("JKS").jurisdiction


def _problems(data: dict, base_dir: Path) -> list[str]:
    with pytest.raises(ConfigError) as err:
        parse_config({"telegram": {"token": "1:x"}, **data}, base_dir=base_dir, env={})
    return err.value.problems


def test_a_multi_office_config_loads_with_paths_relative_to_the_config_file(tmp_path):
    (tmp_path / "areas").mkdir()
    (tmp_path / "areas" / "jks.geojson").write_text(JKS_GEOJSON.read_text(encoding="utf-8"), encoding="utf-8")
    config = parse_config({"telegram": {"token": "1:x"}, "offices": [
        {"name": "A", "report_prefix": "TNG", "group_chat_id": -1},
        {"name": "B", "report_prefix": "JKS", "group_chat_id": -2, "jurisdiction": "areas/jks.geojson"},
    ]}, base_dir=tmp_path, env={})
    assert config.officers.group_chat_id is None
    offices = Offices.from_config(config)
    assert offices.locate(*JKS_POINT)[0].key == "JKS" and not offices.single


def test_a_packaged_area_is_named_without_a_machine_path(tmp_path):
    config = parse_config({"telegram": {"token": "1:x"}, "offices": [
        {"name": "A", "report_prefix": "TNG", "group_chat_id": -1},
        {"name": "B", "report_prefix": "JKS", "group_chat_id": -2, "jurisdiction": "packaged:jakarta_selatan"},
    ]}, base_dir=tmp_path, env={})
    offices = Offices.from_config(config)
    assert offices.locate(*JKS_POINT)[0].key == "JKS"
    assert offices.locate(*MONAS) is None
    problems = _problems({"offices": [
        {"name": "A", "report_prefix": "TNG", "group_chat_id": -1},
        {"name": "B", "report_prefix": "JKS", "group_chat_id": -2, "jurisdiction": "packaged:bandung"},
    ]}, tmp_path)
    assert any(p.startswith("offices.1.jurisdiction: file not found:") and p.endswith("bandung.geojson")
               for p in problems)


def test_multi_office_mistakes_name_their_keys(tmp_path):
    problems = _problems({
        "officers": {"officer_ids": [5]},
        "office": {"report_prefix": "TNG"},
        "offices": [
            {"name": "A", "report_prefix": "TNG", "group_chat_id": -1},
            {"name": "B", "report_prefix": "TNG", "group_chat_id": -1, "jurisdiction": "missing.geojson"},
        ],
    }, tmp_path)
    assert "officers.officer_ids: with [[offices]], list officers in each office's officer_ids" in problems
    assert "office.report_prefix: with [[offices]], set report_prefix in each [[offices]] entry instead" in problems
    assert any(p.startswith("offices.1.report_prefix: TNG is already the prefix of offices.0") for p in problems)
    assert any(p.startswith("offices.1.group_chat_id: -1 is already the group of offices.0") for p in problems)
    assert f"offices.1.jurisdiction: file not found: {tmp_path / 'missing.geojson'}" in problems


@pytest.mark.parametrize("entry, expected", [
    ({"name": "A", "report_prefix": "tng", "group_chat_id": -1}, "offices.0.report_prefix:"),
    ({"name": "A", "report_prefix": "TNG", "group_chat_id": 5}, "offices.0.group_chat_id: must be a negative"),
    ({"name": "A", "report_prefix": "TNG"}, "offices.0.group_chat_id: required, but missing"),
    ({"name": "A", "report_prefix": "TNG", "group_chat_id": -1, "grup": 1}, "offices.0.grup: unknown key"),
])
def test_each_office_entry_is_checked(tmp_path, entry, expected):
    assert any(p.startswith(expected) for p in _problems({"offices": [entry]}, tmp_path))


def test_without_offices_the_group_is_still_required(tmp_path):
    assert _problems({"officers": {"supervisor_ids": [1]}}, tmp_path) == ["officers.group_chat_id: required, but missing"]


def test_each_office_has_its_clock_defaulting_to_the_national_one():
    offices = Offices.from_config(two_offices(timezone="Asia/Makassar"))
    assert [(o.key, o.tz.key) for o in offices] == [("TNG", "Asia/Jakarta"), ("JKS", "Asia/Makassar")]
    assert offices.tz_of("JKS").key == "Asia/Makassar" and offices.tz_of("GONE").key == "Asia/Jakarta"
    data = two_offices().model_dump(exclude_unset=True) | {"office": {"timezone": "Asia/Jayapura"}}
    assert {o.tz.key for o in Offices.from_config(Config.model_validate(data))} == {"Asia/Jayapura"}
    # Checked like [office].timezone, the entry named.
    with pytest.raises(ValueError, match=r"offices\.1\.timezone[\s\S]*unknown time zone 'Asia/Makasar'"):
        two_offices(timezone="Asia/Makasar")
