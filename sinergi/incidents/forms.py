"""Forms of the report pages. They parse; services validate and store."""

import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

from django import forms
from django.utils.translation import gettext_lazy as _

from sinergi.core.timezones import zone_for_area
from sinergi.incidents import triage
from sinergi.incidents.models import Category
from sinergi.incidents.services import Intake
from sinergi.incidents.sla import SEVERITY_CHOICES
from sinergi.incidents.sms_format import normalise_area_code


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; their content is checked by the service, not here."""

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class ReportForm(forms.Form):
    category = forms.ModelChoiceField(
        queryset=Category.objects.filter(is_active=True), to_field_name="code", label=_("Kategori")
    )
    area_code = forms.CharField(
        label=_("Kode desa/kelurahan atau TPS"),
        max_length=30,
        help_text=_("mis. 64.02.06.2012 (desa) atau 64.02.06.2012.003 (TPS); kode KPU tanpa titik juga diterima"),
    )
    occurred_at = forms.DateTimeField(
        label=_("Waktu kejadian (waktu setempat)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    severity = forms.TypedChoiceField(
        label=_("Tingkat"),
        choices=[("", _("bawaan kategori")), *SEVERITY_CHOICES],
        coerce=int,
        required=False,
        empty_value=None,
    )
    description = forms.CharField(label=_("Uraian kejadian"), widget=forms.Textarea(attrs={"rows": 5}), max_length=5000)
    lat = forms.FloatField(label=_("Lintang (opsional)"), required=False)
    lng = forms.FloatField(label=_("Bujur (opsional)"), required=False)
    attachments = MultipleFileField(
        label=_("Lampiran (foto JPEG/PNG/WebP atau PDF, maks. 5 MB, maks. 5 berkas)"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,application/pdf"}),
    )
    client_id = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("client_id", f"web:{uuid.uuid4()}")

    def intake(self, files: list[tuple[str, bytes]], **extra: str) -> Intake:
        data = self.cleaned_data
        return Intake(
            category=data["category"].code,
            area_code=data["area_code"].strip(),
            description=data["description"],
            occurred_at=_as_local(data["occurred_at"], data["area_code"].strip()),
            severity=data["severity"],
            lat=data["lat"],
            lng=data["lng"],
            client_id=data["client_id"] or None,
            files=files,
            **extra,
        )


def _as_local(value: datetime | None, area_code: str) -> datetime | None:
    """The form's time is the wall clock of the place (WIB/WITA/WIT), whatever the server's zone."""
    if value is None:
        return None
    codes = normalise_area_code(area_code)  # an undotted KPU code names its province too
    return value.replace(tzinfo=ZoneInfo(zone_for_area(codes[0] if codes else "ID")))


class PublicReportForm(ReportForm):
    reporter_name = forms.CharField(label=_("Nama Anda (opsional)"), max_length=120, required=False)
    reporter_contact = forms.CharField(
        label=_("Nomor telepon atau e-mail"),
        max_length=120,
        help_text=_("dirahasiakan; hanya petugas yang menindaklanjuti yang dapat melihatnya"),
    )
    # Consent to status updates by message (issue 13, `reach.services.reporter_consent_record`).
    updates_consent = forms.BooleanField(
        label=_("Kirimi saya kabar status laporan ini lewat SMS/WhatsApp ke nomor di atas"),
        required=False,
    )
    website = forms.CharField(required=False, widget=forms.HiddenInput)  # a trap for form-filling robots

    def clean(self):
        data = super().clean()
        fields = self.cleaned_data
        if fields.get("updates_consent") and fields.get("reporter_contact"):
            from sinergi.people.phones import to_e164

            try:
                to_e164(fields["reporter_contact"])
            except ValueError as exc:
                self.add_error("reporter_contact", _("untuk kabar status lewat SMS/WhatsApp: %(r)s") % {"r": exc})
        return data

    def intake(self, files: list[tuple[str, bytes]], **extra: str) -> Intake:
        return super().intake(
            files,
            reporter_name=self.cleaned_data["reporter_name"],
            reporter_contact=self.cleaned_data["reporter_contact"],
        )


class TransitionForm(forms.Form):
    action = forms.ChoiceField(choices=[(a, str(label)) for a, label in triage.ACTION_LABELS.items()])
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=4000)
    agency = forms.CharField(required=False, max_length=60)
    duplicate_of = forms.IntegerField(required=False, min_value=1)
    # The state the user saw when choosing the action: if it changed meanwhile the action is refused (409).
    state = forms.ChoiceField(choices=[("", ""), *triage.STATE_CHOICES], required=False)


class BulkForm(TransitionForm):
    ids = forms.TypedMultipleChoiceField(coerce=int, choices=[], required=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The selection is whatever ids were posted; the service checks each one.
        values = self.data.getlist("ids") if hasattr(self.data, "getlist") else []
        self.fields["ids"].choices = [(v, v) for v in values]  # type: ignore[attr-defined]
