import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.roles import AgencyKind, Role
from sinergi.reach.models import ContactOutcome
from sinergi.reach.services import MAX_TEXT

# The roles field staff hold; the others (finance, inspectorate, ...) are offices, not people to reach.
BROADCAST_ROLES = [
    (r.value, r.label)
    for r in (
        Role.KPU_OPERATOR,
        Role.FIELD_OFFICER,
        Role.BAWASLU_ANALYST,
        Role.COORDINATOR,
        Role.POLICE_PLANNER,
        Role.MILITARY_PLANNER,
        Role.LEADER,
    )
]


class BroadcastForm(forms.Form):
    area_code = forms.CharField(label=_("Kode wilayah"), max_length=24, help_text=_("kode Kemendagri, mis. 64.02.06"))
    agency_kinds = forms.MultipleChoiceField(
        label=_("Jenis instansi"),
        choices=AgencyKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("kosong = semua jenis"),
    )
    roles = forms.MultipleChoiceField(
        label=_("Peran"),
        choices=BROADCAST_ROLES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("kosong = semua peran"),
    )
    text = forms.CharField(label=_("Isi siaran"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 3}))
    is_test = forms.BooleanField(label=_("Siaran uji gladi (meminta balasan OK)"), required=False)
    client_id = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("client_id", f"web:{uuid.uuid4()}")


class ContactForm(forms.Form):
    person = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    outcome = forms.ChoiceField(label=_("Hasil"), choices=ContactOutcome.choices)
    note = forms.CharField(label=_("Catatan"), max_length=300, required=False)
    client_id = forms.CharField(widget=forms.HiddenInput, required=False)
