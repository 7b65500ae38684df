"""Voting-day turnout: checkpoints, expected report slots (TPS x checkpoint), every report version,
quality rules as data, and outreach (sosialisasi) activities.

A `Slot` row holds the latest numbers of one TPS at one checkpoint. Only reports of that TPS touch it,
so there is no hot counter row. Area roll-ups are stored per area and checkpoint (`AreaTally`), kept
current by `turnout.tally` from the slots' `changed_at` (docs/turnout.md, "Stored roll-ups").
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sinergi.areas.models import Area, Election, PollingStation, within
from sinergi.core.models import Channel


class Checkpoint(models.Model):
    """A reporting moment of an election, in the region's local time (09.00, 11.00, 13.00, final)."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="turnout_checkpoints")
    code = models.CharField(max_length=10, help_text="used in the API and SMS, e.g. 09, 11, 13, final")
    label = models.CharField(max_length=60)
    local_time = models.TimeField(help_text=_("jam lokal wilayah pemilihan"))
    order = models.PositiveSmallIntegerField()
    is_final = models.BooleanField(default=False, help_text=_("hasil akhir dari formulir C.Hasil"))
    expected_share = models.DecimalField(
        max_digits=4, decimal_places=3, default=1, help_text=_("bagian partisipasi akhir yang lazim tercapai")
    )

    class Meta:
        ordering = ["election", "order"]
        constraints = [
            models.UniqueConstraint(fields=["election", "code"], name="turnout_checkpoint_code"),
            models.UniqueConstraint(fields=["election", "order"], name="turnout_checkpoint_order"),
            models.CheckConstraint(
                condition=Q(expected_share__gt=0, expected_share__lte=1), name="turnout_checkpoint_share"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.election.slug} {self.label}"


class SlotQuerySet(models.QuerySet["Slot"]):
    def within(self, code: str) -> "SlotQuerySet":
        return self.filter(within(code, "tps__code", include_self=False))

    def update(self, **kwargs):  # type: ignore[no-untyped-def]
        # Every write marks the slots changed, so the stored roll-ups (turnout.tally) pick them up.
        kwargs.setdefault("changed_at", timezone.now())
        return super().update(**kwargs)


class Slot(models.Model):
    """One expected report: a TPS at a checkpoint, with the latest version's numbers."""

    checkpoint = models.ForeignKey(Checkpoint, on_delete=models.CASCADE, related_name="slots")
    tps = models.ForeignKey(PollingStation, on_delete=models.PROTECT, related_name="+", db_column="tps_code")
    dpt = models.PositiveIntegerField(help_text="the TPS's DPT when the slot was created")
    voters = models.PositiveIntegerField(null=True, blank=True)
    voters_male = models.PositiveIntegerField(null=True, blank=True)
    voters_female = models.PositiveIntegerField(null=True, blank=True)
    flagged = models.BooleanField(default=False)
    # The current numbers are implausible (quality.holds): kept out of totals and the projection
    # until a supervisor confirms or corrects them. Always implies `flagged`.
    held = models.BooleanField(default=False, db_default=False)
    versions = models.PositiveIntegerField(default=0)
    current = models.ForeignKey("Report", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reported_at = models.DateTimeField(null=True, blank=True)
    # The real moment of the last write (any path: the fast path and the batch path set it in their SQL,
    # `save` and `update` here): the stored roll-ups re-tally the desas of slots changed since they last ran.
    changed_at = models.DateTimeField(null=True, blank=True, db_index=True)

    objects = SlotQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["checkpoint", "tps"], name="turnout_slot_unique")]
        indexes = [
            # Serves `tps_code LIKE 'x.%'` per checkpoint on PostgreSQL (ignored elsewhere).
            models.Index(
                fields=["checkpoint", "tps"], name="turnout_slot_prefix", opclasses=["int8_ops", "varchar_pattern_ops"]
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tps_id} @ {self.checkpoint_id}"

    def save(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        self.changed_at = timezone.now()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "changed_at"}
        super().save(*args, **kwargs)


class AreaTally(models.Model):
    """The stored roll-up of one area at one checkpoint: the slot sums of `selectors` (a held slot counts
    neither as reported nor in any sum) and the moments the projection needs, for every level from the
    desa to the nation ("ID"). Written only by `turnout.tally`; read by the board, the public page, the
    API and the situation room, so no request aggregates slots."""

    checkpoint = models.ForeignKey(Checkpoint, on_delete=models.CASCADE, related_name="tallies")
    # Derived rows: no database constraint, so a tally never blocks editing areas (and a world without
    # the nation's Area row still tallies); reads join the name where the area exists.
    area = models.ForeignKey(
        Area, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+", db_column="area_code"
    )
    parent_code = models.CharField(max_length=20, null=True, blank=True)
    level = models.CharField(max_length=20)
    expected_tps = models.IntegerField(default=0)
    reported_tps = models.IntegerField(default=0)
    flagged_tps = models.IntegerField(default=0)
    held_tps = models.IntegerField(default=0)
    voters = models.BigIntegerField(default=0)
    dpt_reported = models.BigIntegerField(default=0)
    dpt_total = models.BigIntegerField(default=0)
    m_yy = models.BigIntegerField(default=0)
    m_xy = models.BigIntegerField(default=0)
    m_xx = models.BigIntegerField(default=0)
    # The projected final turnout over the kecamatan strata below (kabupaten and above; a kecamatan or
    # a desa is its own single stratum, projected from this row's moments when read).
    projected_pct = models.FloatField(null=True, blank=True)
    projected_low = models.FloatField(null=True, blank=True)
    projected_high = models.FloatField(null=True, blank=True)
    projected_coverage = models.FloatField(null=True, blank=True)
    refreshed_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["checkpoint", "area"], name="turnout_tally_unique")]
        indexes = [models.Index(fields=["checkpoint", "parent_code"], name="turnout_tally_parent")]

    def __str__(self) -> str:
        return f"{self.area_id} @ {self.checkpoint_id}"


class TallyState(models.Model):
    """One row: how far the stored roll-ups are (`watermark`: slots changed before it are tallied, up to
    the overlap `tally` re-reads for late commits), and the lock that lets one process refresh at a time."""

    watermark = models.DateTimeField(null=True, blank=True)
    rebuilt_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"tallies @ {self.watermark}"


class Report(models.Model):
    """One submission for a slot. Never edited: a correction is a new version."""

    slot = models.ForeignKey(Slot, on_delete=models.CASCADE, related_name="reports")
    version = models.PositiveIntegerField()
    client_id = models.CharField(max_length=80, null=True, blank=True, unique=True)
    voters = models.PositiveIntegerField()
    voters_male = models.PositiveIntegerField(null=True, blank=True)
    voters_female = models.PositiveIntegerField(null=True, blank=True)
    voted_dpt = models.PositiveIntegerField(null=True, blank=True)
    voted_dptb = models.PositiveIntegerField(null=True, blank=True)
    voted_dpk = models.PositiveIntegerField(null=True, blank=True)
    valid_ballots = models.PositiveIntegerField(null=True, blank=True)
    invalid_ballots = models.PositiveIntegerField(null=True, blank=True)
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.WEB)
    submitted_at = models.DateTimeField()
    flags = models.JSONField(default=list, blank=True, help_text='[{"rule": "...", "message": "..."}]')
    note = models.CharField(max_length=300, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["slot", "-version"]
        constraints = [models.UniqueConstraint(fields=["slot", "version"], name="turnout_report_version")]

    def __str__(self) -> str:
        return f"{self.slot.tps_id} v{self.version}: {self.voters}"


class QualityRule(models.Model):
    """A data-quality check that flags (never drops) a report. Parameters are editable data."""

    code = models.SlugField(max_length=40, unique=True)
    label = models.CharField(max_length=200)
    enabled = models.BooleanField(default=True)
    params = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class TargetGroup(models.TextChoices):
    FIRST_TIME = "pemilih_pemula", _("Pemilih pemula")
    WOMEN = "perempuan", _("Perempuan")
    DISABILITY = "disabilitas", _("Penyandang disabilitas")
    YOUTH = "muda", _("Pemilih muda")
    INDIGENOUS = "masyarakat_adat", _("Masyarakat adat")
    WORKERS = "pekerja", _("Pekerja tambang/perkebunan")
    GENERAL = "umum", _("Masyarakat umum")


class OutreachActivity(models.Model):
    """A sosialisasi activity held in one desa/kelurahan."""

    desa = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+", db_column="desa_code")
    held_on = models.DateField()
    target_group = models.CharField(max_length=20, choices=TargetGroup.choices)
    participants = models.PositiveIntegerField()
    organiser = models.CharField(max_length=200)
    topic = models.CharField(max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "desa"]
        indexes = [models.Index(fields=["desa", "held_on"])]

    def __str__(self) -> str:
        return f"{self.desa_id} {self.held_on} {self.target_group}"


class ReplayClock(models.Model):
    """The simulated clock of a replay running for an election (`sinergi replay-voting-day`).

    Stored in the database so every process (app workers, the worker, the replay itself) reads the same
    moment. The replay refreshes it at every step; it no longer counts once `expires_at` (real time) has
    passed, so a replay killed without cleaning up stops steering the board within a minute or two."""

    election = models.OneToOneField(Election, on_delete=models.CASCADE, related_name="+", primary_key=True)
    simulated_at = models.DateTimeField(help_text="the simulated moment when the row was written")
    written_at = models.DateTimeField(help_text="the real moment when the row was written")
    speed = models.FloatField(default=0, help_text="simulated seconds per real second; 0 = the clock stands")
    expires_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.election_id} @ {self.simulated_at:%H:%M}"
