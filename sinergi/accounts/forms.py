from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.throttle import login_blocked, login_failed, login_succeeded


def client_address(request) -> str | None:
    return request.META.get("REMOTE_ADDR") if request else None


class ThrottledLoginForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "throttled": _("Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam 15 menit."),
    }

    def clean(self):
        username = (self.data.get("username") or "").strip()
        address = client_address(self.request)
        if login_blocked(username, address):
            raise forms.ValidationError(self.error_messages["throttled"], code="throttled")
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            login_failed(username, address)
            raise
        login_succeeded(username, address)
        return cleaned
