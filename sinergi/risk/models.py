"""Vulnerability instruments as versioned data, assessment rounds, TPS checklists and stored roll-ups.

A checklist stores its "yes" answers as a bit mask in the instrument's indicator order (`yes_mask`),
so a national recompute reads one integer per TPS instead of 25 answer rows.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sinergi.areas.models import Area, PollingStation, within


class InstrumentKind(models.TextChoices):
    TPS = "tps", _("Pemetaan TPS rawan")
    AREA = "wilayah", _("Indeks kerawanan wilayah")


class AnswerType(models.TextChoices):
    YES_NO = "ya_tidak", _("Ya/tidak")
    COUNT = "jumlah", _("Jumlah")


class Category(models.TextChoices):
    LOW = "rendah", _("Rendah")
    MEDIUM = "sedang", _("Sedang")
    HIGH = "tinggi", _("Tinggi")


class SecurityClass(models.TextChoices):
    LOW = "kurang_rawan", _("Kurang rawan")
    VULNERABLE = "rawan", _("Rawan")
    VERY = "sangat_rawan", _("Sangat rawan")
    SPECIAL = "khusus", _("Khusus")


# Rank used when several rules match: the strictest wins; khusus (special sites) beats all.
SECURITY_RANK = {"kurang_rawan": 0, "rawan": 1, "sangat_rawan": 2, "khusus": 3}
SECURITY_BY_RANK = {rank: name for name, rank in SECURITY_RANK.items()}


class Instrument(models.Model):
    """One edition of a Bawaslu instrument. Rounds point at a version, so editing means a new version."""

    slug = models.SlugField(max_length=60)
    version = models.PositiveIntegerField(default=1)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=InstrumentKind.choices)
    edition = models.CharField(max_length=60, help_text="e.g. Pilkada 2024, Pemilu 2024")
    source = models.TextField(blank=True)
    notes = models.TextField(blank=True, help_text="what is unconfirmed and why the defaults were chosen")
    is_partial = models.BooleanField(default=False, help_text="indicator list incomplete: complete from Bawaslu")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["slug", "-version"]
        constraints = [models.UniqueConstraint(fields=["slug", "version"], name="risk_instrument_version")]

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"


class Variable(models.Model):
    """A variable (TPS instrument) or dimension (area instrument) grouping indicators."""

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="variables")
    code = models.CharField(max_length=10)
    name = models.CharField(max_length=200)
    weight = models.DecimalField(max_digits=6, decimal_places=2, default=1)
    weight_confirmed = models.BooleanField(default=False)

    class Meta:
        ordering = ["instrument", "id"]
        constraints = [models.UniqueConstraint(fields=["instrument", "code"], name="risk_variable_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Indicator(models.Model):
    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="indicators")
    variable = models.ForeignKey(Variable, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(max_length=10)
    position = models.PositiveSmallIntegerField(help_text="bit position in checklists; never reuse within a version")
    text = models.CharField(max_length=300)
    concept = models.CharField(max_length=40, blank=True, help_text="stable key to compare editions")
    answer_type = models.CharField(max_length=10, choices=AnswerType.choices, default=AnswerType.YES_NO)
    weight = models.DecimalField(max_digits=6, decimal_places=2, default=1)
    weight_confirmed = models.BooleanField(default=False)
    text_confirmed = models.BooleanField(default=False)
    national_count = models.PositiveIntegerField(null=True, blank=True, help_text="TPS flagged nationally")

    class Meta:
        ordering = ["instrument", "position"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "code"], name="risk_indicator_code"),
            models.UniqueConstraint(fields=["instrument", "position"], name="risk_indicator_position"),
            models.CheckConstraint(condition=Q(position__lt=63), name="risk_indicator_fits_mask"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text}"


class Threshold(models.Model):
    """Lower bound of a category on the 0-100 index, optionally only for one area level."""

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="thresholds")
    level = models.CharField(max_length=20, blank=True, help_text="empty: every level")
    category = models.CharField(max_length=10, choices=Category.choices)
    min_index = models.DecimalField(max_digits=6, decimal_places=2)

    class Meta:
        ordering = ["instrument", "level", "min_index"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "level", "category"], name="risk_threshold_unique"),
            models.CheckConstraint(condition=Q(min_index__gte=0, min_index__lte=100), name="risk_threshold_range"),
        ]


class SecurityRule(models.Model):
    """A TPS gets `security_class` when at least `min_yes` of `indicator_codes` are yes (or it is special)."""

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="security_rules")
    security_class = models.CharField(max_length=14, choices=SecurityClass.choices)
    indicator_codes = models.JSONField(default=list, blank=True)
    min_yes = models.PositiveSmallIntegerField(default=1)
    special_location = models.BooleanField(default=False, help_text="matches TPS marked lokasi khusus")
    description = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["instrument", "id"]


class RoundStatus(models.TextChoices):
    OPEN = "terbuka", _("Terbuka")
    CLOSED = "ditutup", _("Ditutup")


class AssessmentRound(models.Model):
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="rounds")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+", db_column="area_code")
    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=200)
    window_start = models.DateField()
    window_end = models.DateField()
    status = models.CharField(max_length=10, choices=RoundStatus.choices, default=RoundStatus.OPEN)
    is_synthetic = models.BooleanField(default=False, help_text="answers generated for the demo")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    computed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-window_start", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(window_end__gte=models.F("window_start")), name="risk_round_window")
        ]

    def __str__(self) -> str:
        return self.name


class ChecklistQuerySet(models.QuerySet["Checklist"]):
    def current(self) -> "ChecklistQuerySet":
        return self.filter(is_current=True)

    def within(self, code: str) -> "ChecklistQuerySet":
        return self.filter(within(code, "tps__code", include_self=False))


class Checklist(models.Model):
    """One version of one TPS's answers in a round. A later answer is a new row; older rows stay."""

    round = models.ForeignKey(AssessmentRound, on_delete=models.PROTECT, related_name="checklists")
    tps = models.ForeignKey(PollingStation, on_delete=models.PROTECT, related_name="+", db_column="tps_code")
    version = models.PositiveIntegerField()
    is_current = models.BooleanField(default=True)
    answers = models.JSONField(default=dict, help_text='{"1.1": {"yes": true, "count": 3}}')
    yes_mask = models.BigIntegerField(default=0)
    score = models.FloatField(default=0)
    security_class = models.CharField(max_length=14, choices=SecurityClass.choices, default=SecurityClass.LOW)
    note = models.TextField(blank=True)
    evidence = models.FileField(upload_to="risk/evidence/%Y/%m/", blank=True)
    client_id = models.CharField(max_length=64, null=True, blank=True, unique=True)
    channel = models.CharField(max_length=10, default="web")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)

    objects = ChecklistQuerySet.as_manager()

    class Meta:
        ordering = ["round_id", "tps_id", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["round", "tps", "version"], name="risk_checklist_version"),
            models.UniqueConstraint(
                fields=["round", "tps"], condition=Q(is_current=True), name="risk_checklist_one_current"
            ),
        ]
        # Partial indexes: SQLite renders `is_current=True` as a bare column, which only a partial index
        # with the same condition can serve. The unique "one current" constraint indexes (round, tps).
        indexes = [
            models.Index(
                fields=["round", "-score", "tps"], condition=Q(is_current=True), name="risk_checklist_score_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tps_id} v{self.version}"


class AreaRollup(models.Model):
    """Precomputed numbers of one round for one area; pages and the API read only these."""

    # No separate FK indexes: the unique (round, area) index serves every lookup, and fewer indexes make the
    # national rewrite of ~92,000 rows cheaper.
    round = models.ForeignKey(AssessmentRound, on_delete=models.CASCADE, related_name="rollups", db_index=False)
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="+", db_column="area_code", db_index=False)
    level = models.CharField(max_length=20)
    parent_code = models.CharField(max_length=20, blank=True)
    tps_total = models.PositiveIntegerField(default=0)
    tps_assessed = models.PositiveIntegerField(default=0)
    tps_flagged = models.PositiveIntegerField(default=0)
    score_sum = models.FloatField(default=0)
    index = models.FloatField(default=0)
    category = models.CharField(max_length=10, choices=Category.choices, default=Category.LOW)
    by_variable = models.JSONField(default=dict)
    by_indicator = models.JSONField(default=dict)
    by_class = models.JSONField(default=dict)

    class Meta:
        ordering = ["round_id", "area_id"]
        constraints = [models.UniqueConstraint(fields=["round", "area"], name="risk_rollup_unique")]
        indexes = [models.Index(fields=["round", "parent_code"], name="risk_rollup_children_idx")]


class SecurityOverride(models.Model):
    """A manual security class for one TPS; changes are kept in core history with the reason."""

    tps = models.OneToOneField(
        PollingStation,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="risk_security_override",
        db_column="tps_code",
    )
    security_class = models.CharField(max_length=14, choices=SecurityClass.choices)
    reason = models.TextField()
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    set_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=~Q(reason=""), name="risk_override_needs_reason")]


class ProposedChange(models.Model):
    """A change that arrived after the TPS's round was closed (a verified incident), kept for the next round.

    A closed round is immutable: its answers, scores and roll-ups are what was published. The change is
    shown on the closed round's page and on the next round's page, where Bawaslu may apply it.
    """

    tps = models.ForeignKey(PollingStation, on_delete=models.PROTECT, related_name="+", db_column="tps_code")
    indicator_code = models.CharField(max_length=10)
    source_round = models.ForeignKey(AssessmentRound, on_delete=models.PROTECT, related_name="proposals")
    instrument_slug = models.SlugField(max_length=60, help_text="the next round of this instrument takes it")
    report_ref = models.CharField(max_length=64, help_text="the incident report (or other source) it came from")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    applied_to = models.ForeignKey(
        AssessmentRound, null=True, blank=True, on_delete=models.PROTECT, related_name="applied_proposals"
    )
    applied_checklist = models.ForeignKey(Checklist, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source_round", "tps", "indicator_code", "report_ref"], name="risk_proposal_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.tps_id} {self.indicator_code} ({self.report_ref})"
