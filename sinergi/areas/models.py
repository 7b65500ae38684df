from django.conf import settings
from django.db import connection, models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sinergi.areas.codes import NATIONAL_CODE


def within(code: str, field: str = "code", *, include_self: bool = True) -> Q:
    """A filter for everything inside area `code` (by a code column or a FK to Area).

    On SQLite a LIKE cannot use the index, but a range on the binary-ordered key can;
    on PostgreSQL Django's varchar_pattern_ops index serves LIKE 'prefix%' in any collation.
    """
    if code == NATIONAL_CODE:
        return Q()
    if connection.vendor == "postgresql":
        inside = Q(**{f"{field}__startswith": code + "."})
    else:
        inside = Q(**{f"{field}__gt": code + "."}) & Q(**{f"{field}__lt": code + "/"})
    return inside | Q(**{field: code}) if include_self else inside


class Level(models.TextChoices):
    NATIONAL = "nasional", _("Nasional")
    PROVINCE = "provinsi", _("Provinsi")
    REGENCY = "kabupaten_kota", _("Kabupaten/Kota")
    DISTRICT = "kecamatan", _("Kecamatan")
    VILLAGE = "desa_kelurahan", _("Desa/Kelurahan")


LEVEL_ORDER = [Level.NATIONAL, Level.PROVINCE, Level.REGENCY, Level.DISTRICT, Level.VILLAGE]


class AreaQuerySet(models.QuerySet["Area"]):
    def within(self, code: str, *, include_self: bool = True) -> "AreaQuerySet":
        return self.filter(within(code, include_self=include_self))

    def active(self) -> "AreaQuerySet":
        """Areas of the current Kemendagri edition: the ones lists, pickers and counts use. A retired
        area (dropped by a newer edition) stays reachable by its code, marked retired."""
        return self.filter(is_active=True)


class Area(models.Model):
    """One node of the Kemendagri tree. Subtree counters are maintained by `areas.rollup`."""

    code = models.CharField(max_length=20, primary_key=True)
    name = models.CharField(max_length=120)
    level = models.CharField(max_length=20, choices=Level.choices, db_index=True)
    kind = models.CharField(max_length=12, blank=True, help_text="kabupaten, kota, desa, kelurahan, desa_adat")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", db_column="parent_code"
    )
    label_lat = models.FloatField(null=True, blank=True)
    label_lng = models.FloatField(null=True, blank=True)
    is_active = models.BooleanField(default=True, help_text="false once a newer edition dropped the code")
    children_count = models.PositiveIntegerField(default=0)
    tps_count = models.PositiveIntegerField(default=0)
    dpt_male = models.PositiveBigIntegerField(default=0)
    dpt_female = models.PositiveBigIntegerField(default=0)
    dpt_total = models.PositiveBigIntegerField(default=0)

    objects = AreaQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(dpt_total=models.F("dpt_male") + models.F("dpt_female")), name="area_dpt_sum"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def parent_code(self) -> str | None:
        return self.parent_id


class PollingStationQuerySet(models.QuerySet["PollingStation"]):
    def within(self, code: str) -> "PollingStationQuerySet":
        return self.filter(within(code, include_self=False))


class PollingStation(models.Model):
    """A TPS: `<desa code>.<NNN>`; special-location TPS keep KPU's numbers (901 and up)."""

    code = models.CharField(max_length=24, primary_key=True)
    desa = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="polling_stations", db_column="desa_code")
    number = models.PositiveSmallIntegerField()
    dpt_male = models.PositiveIntegerField(default=0)
    dpt_female = models.PositiveIntegerField(default=0)
    dpt_total = models.PositiveIntegerField(default=0)
    is_special = models.BooleanField(default=False, help_text=_("TPS lokasi khusus"))
    lat = models.FloatField(null=True, blank=True)
    lng = models.FloatField(null=True, blank=True)
    address = models.CharField(max_length=255, blank=True)
    import_batch = models.ForeignKey("ImportBatch", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = PollingStationQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["desa", "number"], name="tps_unique_number_per_desa"),
            models.CheckConstraint(
                condition=Q(dpt_total=models.F("dpt_male") + models.F("dpt_female")), name="tps_dpt_sum"
            ),
        ]

    def __str__(self) -> str:
        return f"TPS {self.number:03d} {self.code}"

    @property
    def coordinates(self) -> tuple[float, float] | None:
        """The TPS's own point, else the desa label point."""
        if self.lat is not None and self.lng is not None:
            return self.lat, self.lng
        if self.desa.label_lat is not None and self.desa.label_lng is not None:
            return self.desa.label_lat, self.desa.label_lng
        return None


class AreaBoundary(models.Model):
    """A polygon for maps, stored as GeoJSON geometry text as imported, and the lighter copy that
    maps are served (`areas.simplify`: simplified for the level's zoom, rounded; "" = serve as is)."""

    area = models.OneToOneField(
        Area, primary_key=True, on_delete=models.CASCADE, related_name="boundary", db_column="area_code"
    )
    geometry = models.TextField()
    simplified = models.TextField(blank=True, default="")
    source = models.CharField(max_length=200, blank=True)


class ImportBatch(models.Model):
    """One bulk import: who, when, which file, and what it changed."""

    kind = models.CharField(max_length=20)
    file_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    summary = models.JSONField(default=dict)
    note = models.TextField(blank=True, help_text="provenance shown on the pages of the areas it touched")
    regencies = models.JSONField(default=list, help_text="kabupaten/kota codes the import touched")

    def __str__(self) -> str:
        return f"{self.kind} import #{self.pk} ({self.file_name})"


class ElectionKind(models.TextChoices):
    GOVERNOR = "pilgub", _("Pemilihan Gubernur")
    REGENT = "pilbup", _("Pemilihan Bupati")
    MAYOR = "pilwali", _("Pemilihan Wali Kota")
    REVOTE = "psu", _("Pemungutan Suara Ulang")
    GENERAL = "pemilu", _("Pemilihan Umum")


class Election(models.Model):
    """One voting day in one region. Elections on the same day share the same TPS."""

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=ElectionKind.choices)
    region = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="elections", db_column="region_code")
    voting_date = models.DateField()
    time_zone = models.CharField(max_length=40, help_text="follows the region's province")
    opens_at = models.TimeField(default="07:00")
    closes_at = models.TimeField(default="13:00")
    government_target_pct = models.DecimalField(max_digits=5, decimal_places=2, default=79.5)
    kpu_target_pct = models.DecimalField(max_digits=5, decimal_places=2, default=82)
    max_voters_per_tps = models.PositiveIntegerField(default=600)
    reference_turnouts = models.JSONField(
        default=list, blank=True, help_text='[{"label": "Pilkada 2020", "pct": "56.57"}]'
    )
    replaces = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="revotes")

    class Meta:
        ordering = ["-voting_date", "slug"]
        constraints = [
            models.CheckConstraint(
                condition=Q(government_target_pct__gte=0, government_target_pct__lte=100)
                & Q(kpu_target_pct__gte=0, kpu_target_pct__lte=100),
                name="election_targets_are_percentages",
            ),
        ]

    def __str__(self) -> str:
        return self.name
