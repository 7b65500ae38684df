"""The default instruments: shapes from DOMAIN 2, the contract codes, and versioning."""

from sinergi.risk import services
from sinergi.risk.models import Indicator, Instrument, Threshold

CONTRACT_CODES = {
    "2.1": "kekerasan",
    "2.2": "Intimidasi",
    "2.3": "Penolakan",
    "3.1": "uang/barang",
    "4.1": "SARA",
    "5.2": "ASN, TNI, Polri",
    "6.2": "kekurangan",
    "6.3": "keterlambatan",
    "7.3": "bencana",
    "8.1": "internet",
    "8.2": "listrik",
}


def test_defaults_have_the_published_shapes(db):
    loaded = {i.slug: i for i in services.instruments_load_defaults()}
    shapes = {slug: (i.variables.count(), i.indicators.count()) for slug, i in loaded.items()}
    assert shapes["tps-pilkada-2024"] == (8, 25)
    assert shapes["tps-pemilu-2024"] == (7, 22)
    assert shapes["wilayah-pilkada-2024"][0] == 4
    assert loaded["wilayah-pilkada-2024"].is_partial


def test_contract_indicator_codes_name_the_agreed_indicators(db):
    services.instruments_load_defaults()
    texts = dict(Indicator.objects.filter(instrument__slug="tps-pilkada-2024").values_list("code", "text"))
    for code, word in CONTRACT_CODES.items():
        assert word.lower() in texts[code].lower(), code


def test_ikp_thresholds(db):
    services.instruments_load_defaults()
    rows = set(
        Threshold.objects.filter(instrument__slug="wilayah-pilkada-2024").values_list("level", "category", "min_index")
    )
    assert {(lvl, cat, float(v)) for lvl, cat, v in rows} >= {
        ("kabupaten_kota", "sedang", 13.47),
        ("kabupaten_kota", "tinggi", 49.33),
        ("provinsi", "sedang", 21.7),
        ("provinsi", "tinggi", 68.5),
    }


def test_loading_twice_changes_nothing_and_new_version_copies_everything(db, personas):
    first = {i.slug: i.pk for i in services.instruments_load_defaults()}
    assert {i.slug: i.pk for i in services.instruments_load_defaults()} == first
    original = Instrument.objects.get(pk=first["tps-pilkada-2024"])
    copy = services.instrument_new_version(instrument=original, actor=personas.national_admin)
    assert copy.version == 2
    assert copy.indicators.count() == 25 and copy.security_rules.count() == original.security_rules.count()
    assert list(copy.indicators.values_list("code", "position")) == list(
        original.indicators.values_list("code", "position")
    )
