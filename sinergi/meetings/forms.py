from datetime import date, datetime
from zoneinfo import ZoneInfo

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.access import scope_filter
from sinergi.accounts.models import Agency
from sinergi.areas.codes import ancestors_of
from sinergi.areas.models import within
from sinergi.core.timezones import zone_for_area
from sinergi.meetings.models import ActionStatus, Attendance, MeetingKind
from sinergi.meetings.permissions import MEETINGS

# A meeting date far out of range overflows when shifted between time zones (a 500 on every page showing it).
MEETING_DATE_RANGE = [MinValueValidator(date(2000, 1, 1)), MaxValueValidator(date(2099, 12, 31))]


def agencies_for(user, area_code: str | None = None) -> QuerySet[Agency]:
    """Agencies the user may pick: seated in their areas, and (for a meeting) in or above its area."""
    agencies = Agency.objects.filter(scope_filter(MEETINGS.read_scopes(user), "area__code"))
    if area_code:
        agencies = agencies.filter(within(area_code, "area__code") | Q(area_id__in=ancestors_of(area_code)))
    return agencies.order_by("area_id", "name")


def _agency_choices(field: forms.Field, agencies: QuerySet[Agency], *, blank: bool = True) -> None:
    """Evaluate the agency list once: a form rendered per decision must not query per render."""
    field.queryset = agencies  # type: ignore[attr-defined]
    options = [(a.code, a.name) for a in agencies]
    field.widget.choices = [("", "---------"), *options] if blank else options  # type: ignore[attr-defined]


def _moments(data: dict, area_code: str) -> tuple[datetime, datetime | None]:
    """The entered date, start and end (local time of the area) as aware datetimes."""
    zone = ZoneInfo(zone_for_area(area_code))
    start = datetime.combine(data["date"], data["start"], tzinfo=zone)
    end = data.get("end")
    return start, datetime.combine(data["date"], end, tzinfo=zone) if end else None


class MeetingForm(forms.Form):
    kind = forms.ModelChoiceField(MeetingKind.objects.all(), to_field_name="slug", label=_("Jenis rapat"))
    title = forms.CharField(max_length=200, label=_("Judul"))
    area_code = forms.CharField(max_length=20, label=_("Kode wilayah"), help_text=_("mis. 64.02"))
    date = forms.DateField(
        label=_("Tanggal"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=MEETING_DATE_RANGE,
    )
    start = forms.TimeField(
        label=_("Mulai (waktu setempat)"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    end = forms.TimeField(
        required=False, label=_("Waktu selesai"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    venue = forms.CharField(max_length=200, label=_("Tempat"))
    organiser = forms.ModelChoiceField(Agency.objects.none(), to_field_name="code", label=_("Penyelenggara"))
    chair_name = forms.CharField(max_length=120, label=_("Pimpinan rapat"))
    chair_title = forms.CharField(max_length=120, required=False, label=_("Jabatan pimpinan"))
    on_behalf_of = forms.CharField(max_length=120, required=False, label=_("Mewakili"))
    invited = forms.ModelMultipleChoiceField(
        Agency.objects.none(),
        to_field_name="code",
        required=False,
        label=_("Instansi diundang"),
        widget=forms.SelectMultiple(attrs={"size": 10}),
    )
    agenda = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 4}), label=_("Acara (satu per baris)")
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        agencies = agencies_for(user)
        _agency_choices(self.fields["organiser"], agencies)
        _agency_choices(self.fields["invited"], agencies, blank=False)

    def moments(self) -> tuple[datetime, datetime | None]:
        return _moments(self.cleaned_data, self.cleaned_data["area_code"].strip())


class MeetingEditForm(forms.Form):
    kind = forms.ModelChoiceField(MeetingKind.objects.all(), to_field_name="slug", label=_("Jenis rapat"))
    title = forms.CharField(max_length=200, label=_("Judul"))
    date = forms.DateField(
        label=_("Tanggal"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=MEETING_DATE_RANGE,
    )
    start = forms.TimeField(
        label=_("Mulai (waktu setempat)"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    end = forms.TimeField(
        required=False, label=_("Waktu selesai"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    venue = forms.CharField(max_length=200, label=_("Tempat"))
    chair_name = forms.CharField(max_length=120, label=_("Pimpinan rapat"))
    chair_title = forms.CharField(max_length=120, required=False, label=_("Jabatan pimpinan"))
    on_behalf_of = forms.CharField(max_length=120, required=False, label=_("Mewakili"))

    def moments(self, area_code: str) -> tuple[datetime, datetime | None]:
        return _moments(self.cleaned_data, area_code)


class MinutesForm(forms.Form):
    minutes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 8}), label=_("Notulen"))
    minute_taker = forms.CharField(max_length=120, required=False, label=_("Notulis"))


class InviteeForm(forms.Form):
    agency = forms.ModelChoiceField(Agency.objects.none(), to_field_name="code", required=False, label=_("Instansi"))
    person_name = forms.CharField(max_length=120, required=False, label=_("Nama"))
    person_title = forms.CharField(max_length=120, required=False, label=_("Jabatan"))

    def __init__(self, *args, user=None, area_code: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        _agency_choices(self.fields["agency"], agencies_for(user, area_code))


class AttendanceForm(forms.Form):
    attendance = forms.ChoiceField(choices=Attendance.choices, label=_("Kehadiran"))
    represented_by = forms.CharField(max_length=160, required=False, label=_("Diwakili oleh"))


class AgendaForm(forms.Form):
    title = forms.CharField(max_length=300, label=_("Acara"))


class DecisionForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label=_("Keputusan"))
    is_public = forms.BooleanField(required=False, label=_("Tampilkan di halaman publik"))


class ActionForm(forms.Form):
    title = forms.CharField(max_length=300, label=_("Tindak lanjut"))
    agency = forms.ModelChoiceField(Agency.objects.none(), to_field_name="code", label=_("Instansi penanggung jawab"))
    person = forms.CharField(max_length=120, required=False, label=_("Orang penanggung jawab"))
    area_code = forms.CharField(max_length=20, label=_("Kode wilayah"))
    due_date = forms.DateField(label=_("Tenggat"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def __init__(self, *args, user=None, area_code: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        _agency_choices(self.fields["agency"], agencies_for(user, area_code))


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=ActionStatus.choices, label=_("Status"))
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}), label=_("Catatan kemajuan"))
    client_id = forms.CharField(required=False, widget=forms.HiddenInput())
