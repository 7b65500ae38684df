"""NPHD grant agreements, their versions (addenda), tranche schedules and the append-only ledger.

The running totals on `Agreement` (disbursed, spent, refunded) are written only by
`services.ledger_post` under a row lock; the check constraints below make the database refuse any
row that would break the invariants even if a future code path forgot the lock.
"""

from django.conf import settings
from django.db import models
from django.db.models import Expression, F, Q, Value
from django.db.models.functions import Round
from django.db.models.lookups import Exact, GreaterThanOrEqual
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.models import Agency
from sinergi.areas.models import Area, Election
from sinergi.core.models import Channel
from sinergi.core.money import RUPIAH_DIGITS, RUPIAH_PLACES


def Money(**kwargs) -> models.DecimalField:
    return models.DecimalField(max_digits=RUPIAH_DIGITS, decimal_places=RUPIAH_PLACES, **kwargs)


def sen(field: str) -> Expression:
    """A money column as a whole number of sen, for check constraints that do arithmetic.

    SQLite stores a decimal with sen as a floating-point number, so `refunded = disbursed - spent`
    compared floats: 1 000 000,01 - 333 333,33 is not 666 666,68 in binary, and a settled agreement
    could not be closed (500) nor a last-sen refund posted (409). Rounding each column to whole
    sen first makes the arithmetic exact: the rounded values are integers, which a double holds
    exactly below 2^53 sen (Rp 90 triliun, far above any grant). On PostgreSQL the columns are
    NUMERIC and ROUND is exact anyway, so the same constraint serves both databases.
    """
    return Round(F(field) * Value(100))


def sen_difference(minuend: str, *subtrahends: str) -> Expression:
    expression = sen(minuend)
    for name in subtrahends:
        expression = expression - sen(name)
    return expression


class Anchor(models.TextChoices):
    SIGNING = "signing", _("setelah penandatanganan NPHD")
    VOTING_DAY = "voting_day", _("sebelum hari pemungutan suara")


class DisbursementPolicy(models.Model):
    """A disbursement rule of a regulation, as data (Permendagri 54/2019, 41/2020)."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=160)
    regulation = models.CharField(max_length=160)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name_plural = "disbursement policies"

    def __str__(self) -> str:
        return self.name


class PolicyStep(models.Model):
    """One tranche of a policy: a share of the amount and its latest due date.

    Either `working_days` after signing, or `months_before` voting day."""

    policy = models.ForeignKey(DisbursementPolicy, on_delete=models.CASCADE, related_name="steps")
    seq = models.PositiveSmallIntegerField()
    label = models.CharField(max_length=80)
    share_pct = models.DecimalField(max_digits=5, decimal_places=2)
    anchor = models.CharField(max_length=12, choices=Anchor.choices)
    working_days = models.PositiveSmallIntegerField(null=True, blank=True)
    months_before = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["policy", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "seq"], name="grants_step_seq_unique"),
            models.CheckConstraint(condition=Q(share_pct__gt=0, share_pct__lte=100), name="grants_step_share"),
            models.CheckConstraint(
                condition=Q(anchor="signing", working_days__isnull=False, months_before__isnull=True)
                | Q(anchor="voting_day", months_before__isnull=False, working_days__isnull=True),
                name="grants_step_anchor_offset",
            ),
        ]


class AgreementStatus(models.TextChoices):
    OPEN = "open", _("berjalan")
    CLOSED = "closed", _("ditutup")


class AgreementQuerySet(models.QuerySet["Agreement"]):
    def open(self) -> "AgreementQuerySet":
        return self.filter(status=AgreementStatus.OPEN)


class Agreement(models.Model):
    """One NPHD: a region grants a recipient agency money for one election.

    The terms (number, date, amount, policy, budget years) live in `AgreementVersion`; number,
    amount and policy here are the current version's, for constraints and fast lists, while
    `signed_on` stays the original signing date, from which tranche deadlines count."""

    election = models.ForeignKey(Election, on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="+", db_column="region_code", help_text=_("daerah pemberi hibah")
    )
    recipient = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="grant_agreements")
    number = models.CharField(max_length=120)
    signed_on = models.DateField()
    amount = Money()
    policy = models.ForeignKey(DisbursementPolicy, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveSmallIntegerField(default=1)
    disbursed = Money(default=0)
    spent = Money(default=0)
    refunded = Money(default=0)
    entry_count = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=10, choices=AgreementStatus.choices, default=AgreementStatus.OPEN)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AgreementQuerySet.as_manager()

    class Meta:
        ordering = ["region", "election", "-amount"]
        constraints = [
            models.UniqueConstraint(fields=["election", "recipient"], name="grants_one_nphd_per_recipient"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="grants_amount_positive"),
            models.CheckConstraint(
                condition=Q(disbursed__gte=0, spent__gte=0, refunded__gte=0), name="grants_totals_nonneg"
            ),
            models.CheckConstraint(condition=Q(disbursed__lte=F("amount")), name="grants_disbursed_within_amount"),
            models.CheckConstraint(condition=Q(spent__lte=F("disbursed")), name="grants_spent_within_disbursed"),
            # Arithmetic on money is compared in whole sen (see `sen`): exact on SQLite too.
            models.CheckConstraint(
                condition=GreaterThanOrEqual(sen_difference("disbursed", "spent", "refunded"), 0),
                name="grants_refund_within_balance_sen",
            ),
            models.CheckConstraint(
                condition=Q(status="open") | Q(Exact(sen_difference("disbursed", "spent", "refunded"), 0)),
                name="grants_closed_is_settled_sen",
            ),
        ]
        indexes = [models.Index(fields=["region", "election"])]

    def __str__(self) -> str:
        return f"NPHD {self.number}"

    @property
    def balance(self):
        """Money the recipient still holds: disbursed, less spent, less already returned."""
        return self.disbursed - self.spent - self.refunded


class AgreementVersion(models.Model):
    """The terms of an NPHD as signed (version 1) or as changed by an addendum. Never edited."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveSmallIntegerField()
    number = models.CharField(max_length=120)
    signed_on = models.DateField()
    amount = Money()
    policy = models.ForeignKey(DisbursementPolicy, on_delete=models.PROTECT, related_name="+")
    budget_years = models.JSONField(help_text='[{"year": 2023, "amount": "30422000000.00"}, ...]')
    note = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["agreement", "version"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "version"], name="grants_version_unique"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="grants_version_amount_positive"),
        ]


class Tranche(models.Model):
    """A scheduled payment, derived from the current version's policy and amount."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="tranches")
    seq = models.PositiveSmallIntegerField()
    label = models.CharField(max_length=80)
    share_pct = models.DecimalField(max_digits=5, decimal_places=2)
    amount = Money()
    cumulative = Money(help_text="sum of this and all earlier tranches")
    due_on = models.DateField()
    rule = models.CharField(max_length=160, blank=True)

    class Meta:
        ordering = ["agreement", "seq"]
        constraints = [models.UniqueConstraint(fields=["agreement", "seq"], name="grants_tranche_unique")]
        indexes = [models.Index(fields=["due_on"])]


class EntryKind(models.TextChoices):
    DISBURSEMENT = "disbursement", _("Penyaluran (transfer ke penerima)")
    SPENDING = "spending", _("Laporan realisasi belanja")
    REFUND = "refund", _("Pengembalian sisa dana ke kas daerah")
    CORRECTION = "correction", _("Koreksi (jurnal balik)")


class Account(models.TextChoices):
    DISBURSED = "disbursed", _("disalurkan")
    SPENT = "spent", _("realisasi")
    REFUNDED = "refunded", _("dikembalikan")


class SpendingCategory(models.TextChoices):
    HONORARIUM = "honorarium", _("Honorarium badan ad hoc / personel")
    LOGISTICS = "logistik", _("Logistik dan perlengkapan")
    OUTREACH = "sosialisasi", _("Sosialisasi dan bimbingan teknis")
    OPERATIONS = "operasional", _("Operasional dan perjalanan dinas")
    SECURITY = "pengamanan", _("Operasi pengamanan")
    OTHER = "lainnya", _("Lainnya")


class LedgerEntry(models.Model):
    """One line of the append-only ledger. `amount` is signed: a correction reverses an earlier
    entry with the opposite sign on the same account, so totals are plain sums per account.
    The database refuses UPDATE and DELETE of a stored entry (triggers, see `grants.integrity`)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="entries")
    seq = models.PositiveIntegerField()
    kind = models.CharField(max_length=14, choices=EntryKind.choices)
    account = models.CharField(max_length=10, choices=Account.choices)
    amount = Money()
    entry_date = models.DateField()
    reference = models.CharField(max_length=120, help_text=_("no. SP2D/transfer, no. dokumen, no. setoran"))
    category = models.CharField(max_length=20, choices=SpendingCategory.choices, blank=True)
    reverses = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by")
    tranche_seq = models.PositiveSmallIntegerField(null=True, blank=True)
    note = models.TextField(blank=True)
    client_id = models.CharField(max_length=64)
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.WEB)
    # PROTECT, not SET_NULL: clearing it would be an UPDATE of a posted entry, which the database refuses.
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["agreement", "seq"]
        verbose_name_plural = "ledger entries"
        constraints = [
            models.UniqueConstraint(fields=["agreement", "seq"], name="grants_entry_seq_unique"),
            models.UniqueConstraint(fields=["agreement", "client_id"], name="grants_entry_client_id_unique"),
            models.CheckConstraint(
                condition=(
                    Q(kind="disbursement", account="disbursed")
                    | Q(kind="spending", account="spent")
                    | Q(kind="refund", account="refunded")
                )
                & Q(amount__gt=0, reverses__isnull=True)
                | Q(kind="correction", amount__lt=0, reverses__isnull=False),
                name="grants_entry_kind_account_sign",
            ),
            models.CheckConstraint(
                condition=~Q(kind="spending") | ~Q(category=""), name="grants_spending_has_category"
            ),
        ]


class Ratification(models.Model):
    """When the elected pair was proposed for ratification; unused money is due back 3 months later."""

    election = models.OneToOneField(Election, on_delete=models.PROTECT, related_name="+")
    proposed_on = models.DateField()
    source = models.CharField(max_length=300, blank=True, help_text=_("surat usulan pengesahan, atau sumbernya"))
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    entered_at = models.DateTimeField(auto_now=True)


class FigureKind(models.TextChoices):
    ANNOUNCED_TOTAL = "total", _("Total yang diumumkan")
    REPORTED_ITEM = "item", _("Rincian per penerima yang dilaporkan")


class BudgetFigure(models.Model):
    """A figure announced or reported outside the system (press, APBD), with its source, so the
    reconciliation can show where each number came from."""

    region = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+", db_column="region_code")
    election = models.ForeignKey(Election, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=8, choices=FigureKind.choices)
    recipient = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    label = models.CharField(max_length=200)
    amount = Money()
    source_key = models.CharField(max_length=20, blank=True, help_text="e.g. K45 in DOMAIN.md")
    source = models.CharField(max_length=300, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["region", "election", "kind", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="grants_figure_amount_positive"),
            models.CheckConstraint(
                condition=Q(kind="total", recipient__isnull=True) | Q(kind="item", recipient__isnull=False),
                name="grants_figure_item_has_recipient",
            ),
        ]


class Alert(models.Model):
    """A notification already sent, so the daily check never sends the same one twice."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="alerts")
    key = models.CharField(max_length=60, help_text="e.g. tranche-2-late, refund-overdue")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agreement", "key"], name="grants_alert_once")]
