"""Security units' strength, rosters, TPS-security patterns as data, and deployment plans.

Units are `accounts.Agency` rows (polres, polsek, kodim, koramil, satlinmas) with their
`Jurisdiction`s; this app only adds what planning needs, keyed to the agency.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.models import Agency
from sinergi.areas.models import Area, within


class TpsClass(models.TextChoices):
    KURANG_RAWAN = "kurang_rawan", _("Kurang rawan")
    RAWAN = "rawan", _("Rawan")
    SANGAT_RAWAN = "sangat_rawan", _("Sangat rawan")
    KHUSUS = "khusus", _("Khusus")


class PersonnelKind(models.TextChoices):
    POLRI = "polri", "Polri"
    TNI = "tni", "TNI"
    LINMAS = "linmas", "Linmas"


class Pool(models.TextChoices):
    ORGANIC = "organik", _("Organik")
    BKO = "bko", _("BKO Polda")
    PLATOON = "pleton", _("Pleton reaksi cepat")
    LINMAS_DESA = "linmas_desa", _("Linmas desa")


class UnitStrength(models.Model):
    """Personnel a unit can put on TPS duty, and the reserves a Polres holds."""

    agency = models.OneToOneField(Agency, on_delete=models.CASCADE, related_name="strength")
    personnel = models.PositiveIntegerField(default=0, help_text=_("personel organik untuk pengamanan TPS"))
    bko = models.PositiveIntegerField(default=0, help_text=_("BKO dari Polda (tingkat Polres)"))
    platoons = models.PositiveSmallIntegerField(default=0, help_text=_("pleton reaksi cepat"))
    platoon_size = models.PositiveSmallIntegerField(default=30)
    base_lat = models.FloatField(null=True, blank=True)
    base_lng = models.FloatField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.agency.code}: {self.personnel} (+{self.bko} BKO, {self.platoons} pleton)"


class LinmasPool(models.Model):
    """The Linmas members of one desa/kelurahan (Satlinmas keeps them per desa)."""

    desa = models.OneToOneField(Area, on_delete=models.CASCADE, related_name="+", db_column="desa_code")
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="linmas_pools")
    members = models.PositiveIntegerField(default=0)


class RosterStatus(models.TextChoices):
    ACTIVE = "aktif", _("Aktif")
    LEAVE = "cuti", _("Cuti")
    SICK = "sakit", _("Sakit")
    OTHER_DUTY = "tugas_lain", _("Tugas lain")


class RosterMember(models.Model):
    """A named person of a unit. When a unit has active members, they are its organic supply."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="roster")
    id_number = models.CharField(max_length=30, unique=True, help_text=_("NRP / NRP TNI / NIK"))
    rank = models.CharField(max_length=40, blank=True)
    name = models.CharField(max_length=120)
    pool = models.CharField(max_length=12, choices=Pool.choices, default=Pool.ORGANIC)
    status = models.CharField(max_length=12, choices=RosterStatus.choices, default=RosterStatus.ACTIVE)

    class Meta:
        ordering = ["agency_id", "id_number"]
        indexes = [models.Index(fields=["agency", "status"])]

    def __str__(self) -> str:
        return f"{self.rank} {self.name} ({self.id_number})"


class SecurityPattern(models.Model):
    """Pola pengamanan TPS for one class: Polri and TNI per N TPS, Linmas per TPS, and the risk
    weight of one unmet person. `polres` empty = the national default; a Polres row overrides it."""

    polres = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.CASCADE, related_name="patterns")
    tps_class = models.CharField(max_length=15, choices=TpsClass.choices)
    polri = models.PositiveSmallIntegerField()
    polri_tps = models.PositiveSmallIntegerField()
    tni = models.PositiveSmallIntegerField()
    tni_tps = models.PositiveSmallIntegerField()
    linmas_per_tps = models.PositiveSmallIntegerField()
    risk_weight = models.PositiveSmallIntegerField(default=1)
    source = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["polres_id", "tps_class"]
        constraints = [
            models.UniqueConstraint(fields=["polres", "tps_class"], name="pattern_unique_per_polres"),
            models.UniqueConstraint(
                fields=["tps_class"], condition=Q(polres__isnull=True), name="pattern_unique_national"
            ),
            models.CheckConstraint(condition=Q(polri_tps__gte=1) & Q(tni_tps__gte=1), name="pattern_tps_positive"),
        ]


class PlanState(models.TextChoices):
    DRAFT = "draft", _("Draf")
    APPROVED = "approved", _("Disetujui")
    SUPERSEDED = "superseded", _("Digantikan")


class PlanQuerySet(models.QuerySet["Plan"]):
    def within(self, code: str) -> "PlanQuerySet":
        return self.filter(within(code, "area__code"))

    def versions_of(self, plan: "Plan") -> "PlanQuerySet":
        """Every version of the plan's lineage: the first plan and those made from it."""
        return self.filter(Q(pk=plan.root_id) | Q(lineage_id=plan.root_id))


class Plan(models.Model):
    """One deployment plan for an area: inputs (options), the solved result, state and version.
    A scenario is a plan copied from another with changed options."""

    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+", db_column="area_code")
    title = models.CharField(max_length=200)
    lineage = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="versions")
    version = models.PositiveIntegerField(default=1)
    scenario_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="scenarios")
    state = models.CharField(max_length=12, choices=PlanState.choices, default=PlanState.DRAFT)
    options = models.JSONField(default=dict)
    client_id = models.CharField(max_length=64, null=True, blank=True, unique=True)
    method = models.CharField(max_length=10, blank=True)
    solver_status = models.CharField(max_length=120, blank=True)
    seconds = models.FloatField(default=0)
    unmet_weighted = models.FloatField(default=0)
    travel_km = models.FloatField(default=0)
    unmet_bound = models.FloatField(null=True, blank=True)
    travel_bound = models.FloatField(null=True, blank=True)
    gap = models.FloatField(null=True, blank=True)
    summary = models.JSONField(default=dict)
    solved_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["area", "state"])]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"

    @property
    def root_id(self) -> int:
        return self.lineage_id or self.pk


class PlanPost(models.Model):
    """A guard post: nearby TPS of one class, the units that cover it, its demand and shortfall."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="posts")
    number = models.PositiveIntegerField()
    kecamatan = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+", db_column="kecamatan_code")
    tps_class = models.CharField(max_length=15, choices=TpsClass.choices)
    tps = models.JSONField(default=list, help_text="[[tps code, class source], ...]")
    lat = models.FloatField()
    lng = models.FloatField()
    police_unit = models.ForeignKey(Agency, null=True, on_delete=models.PROTECT, related_name="+")
    military_unit = models.ForeignKey(Agency, null=True, on_delete=models.PROTECT, related_name="+")
    demand_polri = models.PositiveIntegerField(default=0)
    demand_tni = models.PositiveIntegerField(default=0)
    demand_linmas = models.PositiveIntegerField(default=0)
    short_polri = models.PositiveIntegerField(default=0)
    short_tni = models.PositiveIntegerField(default=0)
    short_linmas = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["plan_id", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="post_unique_number")]


class PlanAssignment(models.Model):
    """People of one unit's pool sent to one post, named from the unit's active roster when the plan
    was solved. The names stay with the plan: a roster changed later does not alter it."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="assignments")
    post = models.ForeignKey(PlanPost, on_delete=models.CASCADE, related_name="assignments")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    pool = models.CharField(max_length=12, choices=Pool.choices)
    kind = models.CharField(max_length=8, choices=PersonnelKind.choices)
    desa_code = models.CharField(max_length=20, blank=True, help_text="for Linmas: the desa whose TPS they guard")
    people = models.PositiveIntegerField()
    km = models.FloatField(default=0)
    names = models.JSONField(
        default=list, blank=True, help_text="the people sent, 'rank name (NRP)', frozen when the plan was solved"
    )

    class Meta:
        indexes = [models.Index(fields=["plan", "agency"])]
        constraints = [models.CheckConstraint(condition=Q(people__gt=0), name="assignment_people_positive")]
