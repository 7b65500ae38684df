from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.throttle import login_blocked, login_failed, login_succeeded
from sinergi.core import clients


def client_address(request) -> str | None:
    """The client's address for throttles: `X-Forwarded-For` counts only behind `SINERGI_TRUSTED_PROXIES`."""
    return clients.client_address(request) if request else None


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


class ThrottledAdminLoginForm(ThrottledLoginForm, AdminAuthenticationForm):
    """Django admin's login form (staff only) with the same throttle as the site's login page."""

    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "throttled": ThrottledLoginForm.error_messages["throttled"],
    }
