"""The 2024 editions of Bawaslu's instruments as plain data (DOMAIN 1 and 2), loaded by `instruments_load_defaults`.

Weights are not published by Bawaslu: every weight below is an editable default, marked unconfirmed.
Defaults: 3 for security indicators, 2 for money politics, SARA and neutrality, 1 elsewhere; the same
ranking for variables. Indicator wording is compiled from national and regional releases (DOMAIN 2a);
Bawaslu's exact wording of all 25 is not public, so texts are marked unconfirmed.
`demo_count` is the national TPS count used to generate synthetic answers: the published count where there
is one (then also stored as `national_count`), else an assumption within Bawaslu's "tidak banyak" range.
"""

from dataclasses import dataclass, field
from typing import Any

NATIONAL_TPS = 435_296


@dataclass(frozen=True)
class IndicatorSpec:
    code: str
    text: str
    concept: str  # stable key to compare editions
    weight: float = 1
    national: int | None = None  # published national count of TPS flagged
    demo_count: int = 0
    answer_type: str = "ya_tidak"


@dataclass(frozen=True)
class VariableSpec:
    code: str
    name: str
    weight: float
    indicators: list[IndicatorSpec]


@dataclass(frozen=True)
class RuleSpec:
    security_class: str
    codes: list[str]
    min_yes: int = 1
    special_location: bool = False
    description: str = ""


@dataclass(frozen=True)
class InstrumentSpec:
    slug: str
    name: str
    kind: str
    edition: str
    source: str
    notes: str
    variables: list[VariableSpec]
    thresholds: list[tuple[str, str, float]]  # (level or "", category, min index)
    rules: list[RuleSpec] = field(default_factory=list)
    is_partial: bool = False


def _i(code: str, text: str, concept: str, weight: float = 1, national: int | None = None, **kw: Any) -> IndicatorSpec:
    demo = int(kw.pop("demo", national or 0))
    return IndicatorSpec(code, text, concept, weight, national, demo, **kw)


COUNT: dict = {"answer_type": "jumlah"}

PILKADA_2024_VARIABLES = [
    VariableSpec(
        "1",
        "Penggunaan hak pilih",
        1,
        [
            _i(
                "1.1",
                "Terdapat pemilih DPT yang sudah tidak memenuhi syarat (meninggal, menjadi TNI/Polri, dll.)",
                "dpt_tms",
                national=95_171,
                **COUNT,
            ),
            _i("1.2", "Terdapat pemilih pindahan (DPTb)", "dptb", national=58_443, **COUNT),
            _i(
                "1.3",
                "Terdapat warga memenuhi syarat yang tidak terdaftar di DPT (potensi DPK)",
                "potensi_dpk",
                national=16_120,
                **COUNT,
            ),
            _i(
                "1.4",
                "Terdapat KPPS/penyelenggara yang terdaftar sebagai pemilih di luar TPS tempatnya bertugas",
                "kpps_luar_tps",
                national=40_635,
            ),
            _i("1.5", "Terdapat pemilih disabilitas yang terdaftar di DPT", "disabilitas", national=116_211, **COUNT),
            _i("1.6", "Riwayat PSU dan/atau PSSU (termasuk penyalahgunaan noken di Papua)", "riwayat_psu", demo=1_500),
        ],
    ),
    VariableSpec(
        "2",
        "Keamanan",
        3,
        [
            _i("2.1", "Riwayat kekerasan di TPS", "kekerasan", 3, demo=2_299),
            _i("2.2", "Intimidasi terhadap penyelenggara pemilihan", "intimidasi", 3, national=2_426),
            _i("2.3", "Penolakan atau penghalangan penyelenggaraan pemungutan suara", "penolakan", 3, demo=1_000),
        ],
    ),
    VariableSpec(
        "3",
        "Politik uang",
        2,
        [
            _i(
                "3.1",
                "Pemberian uang/barang di luar ketentuan di sekitar TPS pada masa kampanye atau tenang",
                "politik_uang",
                2,
                national=2_799,
            ),
        ],
    ),
    VariableSpec(
        "4",
        "Politisasi SARA",
        2,
        [_i("4.1", "Politisasi SARA atau ujaran kebencian di sekitar TPS", "sara", 2, demo=1_200)],
    ),
    VariableSpec(
        "5",
        "Netralitas",
        2,
        [
            _i("5.1", "KPPS berkampanye untuk pasangan calon", "kpps_kampanye", 2, demo=1_500),
            _i(
                "5.2",
                "ASN, TNI, Polri, kepala desa atau perangkat desa bertindak menguntungkan/merugikan pasangan calon",
                "netralitas_aparat",
                2,
                demo=2_000,
            ),
        ],
    ),
    VariableSpec(
        "6",
        "Logistik",
        1,
        [
            _i("6.1", "Riwayat kerusakan logistik di TPS", "logistik_rusak", demo=3_000),
            _i("6.2", "Riwayat kekurangan, kelebihan atau ketiadaan logistik", "logistik_kurang", national=6_066),
            _i("6.3", "Riwayat keterlambatan logistik (tiba setelah H-1)", "logistik_terlambat", national=2_658),
        ],
    ),
    VariableSpec(
        "7",
        "Lokasi TPS",
        1,
        [
            _i("7.1", "TPS sulit dijangkau", "sulit_dijangkau", national=5_384),
            _i("7.2", "TPS di wilayah rawan konflik", "rawan_konflik", demo=2_500),
            _i("7.3", "TPS di wilayah rawan bencana", "rawan_bencana", national=7_414),
            _i("7.4", "TPS dekat lembaga pendidikan dengan siswa yang memiliki hak pilih", "dekat_sekolah", demo=4_000),
            _i("7.5", "TPS dekat wilayah kerja (pertambangan, pabrik, perkebunan)", "dekat_tambang", demo=3_000),
            _i("7.6", "TPS dekat rumah pasangan calon atau posko pemenangan", "dekat_posko", demo=21_947),
            _i("7.7", "TPS di lokasi khusus (lapas, rutan, rumah sakit, dll.)", "lokasi_khusus", demo=1_800),
        ],
    ),
    VariableSpec(
        "8",
        "Listrik dan jaringan internet",
        1,
        [
            _i("8.1", "Kendala jaringan internet di lokasi TPS", "internet", national=22_738),
            _i("8.2", "Kendala aliran listrik di lokasi TPS", "listrik", national=8_457),
        ],
    ),
]

PEMILU_2024_VARIABLES = [
    VariableSpec(
        "1",
        "Penggunaan hak pilih",
        1,
        [
            _i("1.1", "Terdapat pemilih DPT yang sudah tidak memenuhi syarat", "dpt_tms", national=125_224, **COUNT),
            _i("1.2", "Terdapat pemilih pindahan (DPTb)", "dptb", national=119_796, **COUNT),
            _i("1.3", "Terdapat potensi pemilih DPK", "potensi_dpk", national=18_656, **COUNT),
            _i("1.4", "KPPS terdaftar sebagai pemilih di luar domisili TPS", "kpps_luar_tps", national=38_595),
        ],
    ),
    VariableSpec(
        "2",
        "Keamanan",
        3,
        [
            _i("2.1", "Riwayat kekerasan di TPS", "kekerasan", 3, national=2_299),
            _i("2.2", "Intimidasi terhadap penyelenggara", "intimidasi", 3, demo=2_000),
            _i("2.3", "Penolakan penyelenggaraan pemungutan suara", "penolakan", 3, demo=1_000),
        ],
    ),
    VariableSpec(
        "3",
        "Kampanye",
        2,
        [
            _i("3.1", "Pemberian uang/barang di sekitar TPS", "politik_uang", 2, national=3_875),
            _i("3.2", "Ujaran kebencian atau politisasi SARA di sekitar TPS", "sara", 2, demo=1_500),
        ],
    ),
    VariableSpec(
        "4",
        "Netralitas",
        2,
        [
            _i("4.1", "KPPS berkampanye", "kpps_kampanye", 2, demo=1_500),
            _i("4.2", "ASN, TNI, Polri atau perangkat desa tidak netral", "netralitas_aparat", 2, demo=2_000),
        ],
    ),
    VariableSpec(
        "5",
        "Logistik",
        1,
        [
            _i("5.1", "Riwayat kerusakan logistik", "logistik_rusak", demo=3_000),
            _i("5.2", "Riwayat kekurangan, kelebihan atau ketiadaan logistik", "logistik_kurang", demo=6_000),
            _i("5.3", "Riwayat logistik tertukar", "logistik_tertukar", demo=2_000),
            _i("5.4", "Riwayat keterlambatan logistik", "logistik_terlambat", demo=2_600),
        ],
    ),
    VariableSpec(
        "6",
        "Lokasi TPS",
        1,
        [
            _i("6.1", "TPS sulit dijangkau", "sulit_dijangkau", national=4_211),
            _i("6.2", "TPS di wilayah rawan konflik", "rawan_konflik", demo=2_500),
            _i("6.3", "TPS di wilayah rawan bencana", "rawan_bencana", national=10_794),
            _i("6.4", "TPS dekat posko atau rumah peserta pemilu", "dekat_posko", national=21_947),
            _i("6.5", "TPS di lokasi khusus", "lokasi_khusus", demo=1_800),
        ],
    ),
    VariableSpec(
        "7",
        "Listrik dan jaringan internet",
        1,
        [
            _i("7.1", "Kendala jaringan internet", "internet", national=36_236),
            _i("7.2", "Kendala aliran listrik", "listrik", national=8_099),
        ],
    ),
]

AREA_2024_VARIABLES = [
    VariableSpec(
        "A",
        "Konteks sosial politik",
        1,
        [_i("A.1", "Intimidasi dan kekerasan terkait pemilihan", "intimidasi_wilayah")],
    ),
    VariableSpec(
        "B",
        "Pencalonan",
        1,
        [_i("B.1", "Penyalahgunaan wewenang oleh petahana", "petahana")],
    ),
    VariableSpec(
        "C",
        "Kampanye",
        1,
        [
            _i("C.1", "Politik uang", "politik_uang_wilayah"),
            _i("C.2", "Keterlibatan ASN, TNI atau Polri dalam kampanye", "netralitas_wilayah"),
        ],
    ),
    VariableSpec(
        "D",
        "Pungut hitung",
        1,
        [
            _i("D.1", "Potensi PSU atau penghitungan ulang", "psu_wilayah"),
            _i("D.2", "Kesalahan KPPS dalam pemungutan dan penghitungan", "kesalahan_kpps"),
        ],
    ),
]

# The TPS-derived area index: 100 x weighted share of TPS flagged per variable (see docs/risk.md).
TPS_THRESHOLDS = [("", "rendah", 0), ("", "sedang", 7.5), ("", "tinggi", 15)]
IKP_THRESHOLDS = [
    ("kabupaten_kota", "rendah", 0),
    ("kabupaten_kota", "sedang", 13.47),
    ("kabupaten_kota", "tinggi", 49.33),
    ("provinsi", "rendah", 0),
    ("provinsi", "sedang", 21.7),
    ("provinsi", "tinggi", 68.5),
]


def _security_rules(security: list[str], strong: list[str], special: str) -> list[RuleSpec]:
    return [
        RuleSpec("khusus", [special], special_location=True, description="TPS lokasi khusus (lapas, rutan, RS)"),
        RuleSpec("sangat_rawan", security, min_yes=2, description="dua atau lebih indikator keamanan"),
        RuleSpec("sangat_rawan", [*security, *strong], min_yes=3, description="tiga atau lebih indikator berat"),
        RuleSpec("rawan", security, description="minimal satu indikator keamanan"),
        RuleSpec("rawan", strong, description="minimal satu indikator politik uang, SARA, netralitas atau konflik"),
    ]


TPS_NOTES = (
    "Bobot indikator dan variabel belum dipublikasikan Bawaslu: bobot di sini adalah bawaan yang dapat diubah "
    "(keamanan 3; politik uang, SARA, netralitas 2; lainnya 1). Rumusan 25 indikator dihimpun dari rilis nasional "
    "dan daerah; rumusan resmi lengkap belum terkonfirmasi. Riwayat PSU/PSSU dan penyalahgunaan noken digabung "
    "menjadi satu indikator agar jumlahnya 25. Ambang indeks wilayah (7,5 dan 15) adalah bawaan Sinergi."
)

DEFAULT_INSTRUMENTS = [
    InstrumentSpec(
        slug="tps-pilkada-2024",
        name="Pemetaan Kerawanan TPS Pilkada Serentak 2024",
        kind="tps",
        edition="Pilkada 2024",
        source="Bawaslu RI, rilis TPS rawan 20-22 November 2024; pengumpulan data 10-15 November 2024",
        notes=TPS_NOTES,
        variables=PILKADA_2024_VARIABLES,
        thresholds=TPS_THRESHOLDS,
        rules=_security_rules(["2.1", "2.2", "2.3"], ["3.1", "4.1", "5.2", "7.2"], "7.7"),
    ),
    InstrumentSpec(
        slug="tps-pemilu-2024",
        name="Pemetaan Kerawanan TPS Pemilu 2024",
        kind="tps",
        edition="Pemilu 2024",
        source="Bawaslu RI, rilis TPS rawan 11 Februari 2024; pengumpulan data 3-8 Februari 2024",
        notes=TPS_NOTES.replace("25 indikator", "22 indikator").split(" Riwayat PSU")[0],
        variables=PEMILU_2024_VARIABLES,
        thresholds=TPS_THRESHOLDS,
        rules=_security_rules(["2.1", "2.2", "2.3"], ["3.1", "3.2", "4.2", "6.2"], "6.5"),
    ),
    InstrumentSpec(
        slug="wilayah-pilkada-2024",
        name="Pemetaan Kerawanan Pemilihan Serentak 2024 (wilayah)",
        kind="wilayah",
        edition="Pilkada 2024",
        source="Bawaslu RI, peluncuran 26 Agustus 2024 (4 dimensi, 27 indikator); skala IKP 2024 (16 Desember 2022)",
        notes=(
            "Daftar resmi 27 indikator belum dipublikasikan lengkap: hanya indikator yang disebut dalam rilis yang "
            "dimuat. Lengkapi dari dokumen Bawaslu. Ambang skala IKP: kabupaten/kota 13,47 dan 49,33; provinsi 21,7 "
            "dan 68,5. Indeks wilayah dari daftar periksa TPS tetap berjalan tanpa daftar ini."
        ),
        variables=AREA_2024_VARIABLES,
        thresholds=IKP_THRESHOLDS,
        is_partial=True,
    ),
]
