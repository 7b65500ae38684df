"""Coordination meetings (rakor), their attendance, agenda, decisions and the action items
that follow from the decisions, with progress notes and evidence."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.models import Agency
from sinergi.areas.models import Area, within


class MeetingKind(models.Model):
    """Kinds are data (rakor lintas sektoral, rapat teknis, apel, ...) so an admin can add more."""

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=120)
    position = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class MeetingQuerySet(models.QuerySet["Meeting"]):
    def within(self, code: str) -> "MeetingQuerySet":
        return self.filter(within(code, "area__code"))


class Meeting(models.Model):
    kind = models.ForeignKey(MeetingKind, on_delete=models.PROTECT, related_name="meetings")
    title = models.CharField(max_length=200)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+", db_column="area_code")
    starts_at = models.DateTimeField(help_text="UTC; shown in the area's local time")
    ends_at = models.DateTimeField(null=True, blank=True)
    venue = models.CharField(max_length=200)
    organiser = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="organised_meetings")
    chair_name = models.CharField(max_length=120)
    chair_title = models.CharField(max_length=120, blank=True)
    on_behalf_of = models.CharField(max_length=120, blank=True, help_text=_("mewakili, mis. Bupati"))
    minutes = models.TextField(blank=True)
    minute_taker = models.CharField(max_length=120, blank=True)
    client_id = models.CharField(max_length=64, null=True, blank=True, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["area", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gte=models.F("starts_at")),
                name="meeting_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Attendance(models.TextChoices):
    INVITED = "invited", _("Diundang")
    PRESENT = "present", _("Hadir")
    REPRESENTED = "represented", _("Diwakili")
    ABSENT = "absent", _("Tidak hadir")


class Invitee(models.Model):
    """An invited agency or person and whether they came (or who came for them)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitees")
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    person_name = models.CharField(max_length=120, blank=True)
    person_title = models.CharField(max_length=120, blank=True)
    attendance = models.CharField(max_length=12, choices=Attendance.choices, default=Attendance.INVITED)
    represented_by = models.CharField(max_length=160, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(agency__isnull=False) | ~Q(person_name=""), name="invitee_agency_or_person"
            ),
            models.CheckConstraint(
                condition=~Q(attendance="represented") | ~Q(represented_by=""), name="invitee_represented_by_whom"
            ),
        ]

    def __str__(self) -> str:
        return self.person_name or str(self.agency)


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=300)
    notes = models.TextField(blank=True)
    # Set when the item was carried over from an earlier meeting's open action.
    carried_action = models.ForeignKey(
        "ActionItem", null=True, blank=True, on_delete=models.CASCADE, related_name="carried_into"
    )

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "carried_action"],
                condition=Q(carried_action__isnull=False),
                name="agenda_carry_once_per_meeting",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Decision(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    number = models.PositiveSmallIntegerField()
    text = models.TextField()
    is_public = models.BooleanField(default=False, help_text=_("boleh ditampilkan di halaman publik"))

    class Meta:
        ordering = ["meeting", "number"]
        constraints = [models.UniqueConstraint(fields=["meeting", "number"], name="decision_number_unique")]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:60]}"


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Terbuka")
    IN_PROGRESS = "in_progress", _("Sedang dikerjakan")
    DONE = "done", _("Selesai")
    DROPPED = "dropped", _("Dibatalkan")


OPEN_STATUSES = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)


class ActionItemQuerySet(models.QuerySet["ActionItem"]):
    def within(self, code: str) -> "ActionItemQuerySet":
        return self.filter(within(code, "area__code"))

    def still_open(self) -> "ActionItemQuerySet":
        return self.filter(status__in=OPEN_STATUSES)


class ActionItem(models.Model):
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="actions")
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    responsible_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="action_items")
    responsible_person = models.CharField(max_length=120, blank=True)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+", db_column="area_code")
    due_date = models.DateField()
    status = models.CharField(max_length=12, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    completed_at = models.DateTimeField(null=True, blank=True)
    client_id = models.CharField(max_length=64, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ActionItemQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "id"]
        indexes = [
            models.Index(fields=["status", "due_date"]),
            models.Index(fields=["area", "status"]),
            models.Index(fields=["responsible_agency", "status"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class ProgressNote(models.Model):
    """A status change or progress report on an action item; never edited afterwards."""

    action = models.ForeignKey(ActionItem, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    status_before = models.CharField(max_length=12, choices=ActionStatus.choices)
    status_after = models.CharField(max_length=12, choices=ActionStatus.choices)
    text = models.TextField(blank=True)
    client_id = models.CharField(max_length=64, null=True, blank=True, unique=True)

    class Meta:
        ordering = ["at", "id"]


class Evidence(models.Model):
    note = models.ForeignKey(ProgressNote, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to="meetings/evidence/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)


class ReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", _("Segera jatuh tempo")
    OVERDUE = "overdue", _("Lewat tenggat")


class ReminderSent(models.Model):
    """One reminder per action item per local day, so reruns of the task send nothing twice."""

    action = models.ForeignKey(ActionItem, on_delete=models.CASCADE, related_name="reminders")
    on_date = models.DateField()
    kind = models.CharField(max_length=10, choices=ReminderKind.choices)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["action", "on_date"], name="reminder_once_per_day")]
