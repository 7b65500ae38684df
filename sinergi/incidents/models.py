"""Early-warning and violation reports, their timeline, attachments and routing data."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.models import Agency
from sinergi.areas.models import Area, PollingStation, within
from sinergi.incidents.sla import SEVERITY_CHOICES
from sinergi.incidents.triage import OPEN_STATES, STATE_CHOICES, State


class Category(models.Model):
    """A kind of report. Routing is data: `route_kinds` are the agency kinds responsible, most
    specific first; the covering agency of those kinds for the report's place receives it."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    sms_keywords = models.CharField(
        max_length=200, help_text=_("kata kunci SMS dipisah spasi, mis. UANG POLITIKUANG"), blank=True
    )
    route_kinds = models.JSONField(
        default=list, help_text=_('jenis instansi penanggung jawab, mis. ["polsek","polres"]')
    )
    indicator_code = models.CharField(
        max_length=10, blank=True, help_text=_("kode indikator kerawanan TPS yang diisi saat laporan diverifikasi")
    )
    default_severity = models.PositiveSmallIntegerField(choices=SEVERITY_CHOICES, default=2)
    order = models.PositiveSmallIntegerField(default=100)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["order", "code"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return str(self.label)

    @property
    def label(self) -> str:
        """The name in the reader's language: the default categories are in the catalogue (marked in
        migration 0002); a category an administrator adds keeps the name it was given."""
        return gettext(self.name)

    def keywords(self) -> list[str]:
        return [k.upper() for k in self.sms_keywords.split() if k]


class ReportQuerySet(models.QuerySet["Report"]):
    def within(self, code: str) -> "ReportQuerySet":
        return self.filter(within(code, "scope_code"))

    def open(self) -> "ReportQuerySet":
        return self.filter(state__in=OPEN_STATES)


class Report(models.Model):
    """One report of something seen in the field. Raw input (description, place, time, reporter)
    is never edited; triage changes only the state fields, each change a `ReportEvent`."""

    tracking_code = models.CharField(max_length=12, unique=True)
    client_id = models.CharField(max_length=80, unique=True, null=True, blank=True)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="reports")
    desa = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+", db_column="desa_code")
    polling_station = models.ForeignKey(
        PollingStation, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_column="tps_code"
    )
    # The TPS code if there is one, else the desa code: the path that scoping and areas filter on.
    scope_code = models.CharField(max_length=24, db_index=True)
    lat = models.FloatField(null=True, blank=True)
    lng = models.FloatField(null=True, blank=True)
    occurred_at = models.DateTimeField()
    received_at = models.DateTimeField()
    received_day = models.DateField(help_text="local date of receipt in the area's time zone, for the tallies")
    description = models.TextField()
    severity = models.PositiveSmallIntegerField(choices=SEVERITY_CHOICES)
    channel = models.CharField(max_length=10)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reporter_name = models.CharField(max_length=120, blank=True)
    reporter_contact = models.CharField(max_length=120, blank=True, help_text=_("rahasia: telepon atau e-mail"))

    state = models.CharField(max_length=20, choices=STATE_CHOICES, default=State.NEW)
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    ack_due_at = models.DateTimeField(null=True, blank=True)
    escalation_level = models.PositiveSmallIntegerField(default=0)
    escalation_area_code = models.CharField(max_length=24)
    escalated_agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    escalated_at = models.DateTimeField(null=True, blank=True)
    duplicate_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="duplicates")
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    claimed_until = models.DateTimeField(null=True, blank=True)
    indicator_set = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["state", "-id"], name="incident_state_id"),
            models.Index(fields=["agency", "state", "-id"], name="incident_agency_state"),
            # Partial: few reports are escalated or claimed, and the planner must know it.
            models.Index(
                fields=["escalated_agency", "state"],
                condition=Q(escalated_agency__isnull=False),
                name="incident_escagency_state",
            ),
            models.Index(
                fields=["escalation_area_code", "state"],
                condition=Q(escalation_level__gt=0),
                name="incident_escarea_state",
            ),
            models.Index(
                fields=["claimed_by", "claimed_until"], condition=Q(claimed_by__isnull=False), name="incident_claim"
            ),
            models.Index(fields=["scope_code", "category", "occurred_at"], name="incident_dup_lookup"),
            models.Index(fields=["received_at"], name="incident_received"),
            models.Index(fields=["ack_due_at"], condition=Q(state=State.NEW), name="incident_ack_due_new"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(severity__gte=1, severity__lte=4), name="incident_severity_1_4"),
            models.CheckConstraint(
                condition=Q(state=State.DUPLICATE, duplicate_of__isnull=False) | ~Q(state=State.DUPLICATE),
                name="incident_duplicate_has_original",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.category_id} {self.scope_code}"

    @property
    def ref(self) -> str:
        return f"#{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


class ReportEvent(models.Model):
    """The timeline: every transition, escalation, claim and note, append-only."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Diterima")
        TRANSITION = "transition", _("Perubahan status")
        ESCALATED = "escalated", _("Eskalasi")
        CLAIMED = "claimed", _("Diambil")
        RELEASED = "released", _("Dilepas")
        NOTE = "note", _("Catatan")
        MERGED = "merged", _("Duplikat digabung")
        RISK = "risk", _("Indikator kerawanan")
        ATTACHMENT = "attachment", _("Lampiran")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    action = models.CharField(max_length=20, blank=True)
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    channel = models.CharField(max_length=10, default="web")
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(blank=True, help_text=_("catatan internal, tidak tampil di halaman publik"))
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["report", "at"], name="incident_event_report")]

    def __str__(self) -> str:
        return f"{self.report_id} {self.kind} {self.to_state}"


def attachment_path(instance: "Attachment", filename: str) -> str:
    return f"incidents/{instance.report_id}/{instance.sha256[:16]}{instance.extension}"


class Attachment(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=200)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["report", "sha256"], name="attachment_once_per_report")]

    def __str__(self) -> str:
        return self.original_name

    @property
    def extension(self) -> str:
        return {"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp", "application/pdf": ".pdf"}.get(
            self.content_type, ""
        )


class ReportTally(models.Model):
    """Stored counts per area (provinsi, kabupaten/kota, kecamatan, desa), category and local day, kept
    by the services on every create and close/reopen, so maps and statistics never scan the reports."""

    area_code = models.CharField(max_length=20)
    parent_code = models.CharField(max_length=20)
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    received = models.PositiveIntegerField(default=0)
    open = models.IntegerField(default=0)
    done = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["area_code", "category", "day"], name="incident_tally_unique")]
        indexes = [
            models.Index(fields=["parent_code", "day"], name="incident_tally_parent"),
            models.Index(fields=["area_code", "day"], name="incident_tally_area"),
        ]


class PublicIntakeHit(models.Model):
    """One public-form submission or tracking lookup from an address, counted by the throttles
    (`throttle.py`); old rows are pruned."""

    kind = models.CharField(max_length=8, default="report")
    address = models.GenericIPAddressField(null=True)
    at = models.DateTimeField(db_index=True)

    class Meta:
        indexes = [models.Index(fields=["kind", "address", "at"], name="incident_public_hit_kind")]
