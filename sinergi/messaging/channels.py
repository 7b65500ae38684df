"""Which channels are switched on (settings), which provider carries each, and how to reach a user."""

from typing import Any

from django.conf import settings

from sinergi.messaging.models import Channel


def provider_for(channel: str) -> str:
    """SMS goes through the Android gateway or the commercial API (`SINERGI_SMS_PROVIDER`)."""
    if channel == Channel.SMS:
        return settings.SINERGI_SMS_PROVIDER
    return str(channel)


def enabled(channel: str) -> bool:
    """A channel is on when its provider has its credentials in settings (e-mail always is)."""
    provider = provider_for(channel)
    if provider == "android":
        return bool(settings.SINERGI_ANDROID_SMS_URL)
    if provider == "twilio":
        return bool(settings.SINERGI_TWILIO_ACCOUNT_SID and settings.SINERGI_TWILIO_AUTH_TOKEN)
    if provider == "whatsapp":
        return bool(settings.SINERGI_WHATSAPP_TOKEN and settings.SINERGI_WHATSAPP_PHONE_NUMBER_ID)
    if provider == "telegram":
        return bool(settings.SINERGI_TELEGRAM_BOT_TOKEN)
    return provider == "email"


def phones_of(user: Any) -> list[str]:
    """The user's phones, last verified first (people's contract), else the account's own phone."""
    try:
        from sinergi.people.selectors import contact_phones
    except ImportError:
        contact_phones = None
    if contact_phones is not None:
        phones = contact_phones(user)
        if phones:
            return phones
    phone = getattr(user, "phone", "")
    if not phone:
        return []
    try:
        from sinergi.people.phones import to_e164

        return [to_e164(phone)]
    except (ImportError, ValueError):
        digits = "".join(ch for ch in phone if ch.isdigit())
        if digits.startswith("0"):
            digits = "62" + digits[1:]
        return [f"+{digits}"] if digits else []


def address_on(user: Any, channel: str) -> str | None:
    if channel in (Channel.SMS, Channel.WHATSAPP):
        phones = phones_of(user)
        return phones[0] if phones else None
    if channel == Channel.TELEGRAM:
        link = getattr(user, "telegram_link", None) if _has_link(user) else None
        return link.chat_id if link else None
    if channel == Channel.EMAIL:
        return user.email or None
    return None


def _has_link(user: Any) -> bool:
    from sinergi.messaging.models import TelegramLink

    return TelegramLink.objects.filter(user=user).exists()


def reachable(user: Any) -> list[tuple[str, str]]:
    """(channel, address) in the order of preference `SINERGI_MESSAGING_CHANNEL_ORDER`, enabled ones only."""
    found = []
    order = list(settings.SINERGI_MESSAGING_CHANNEL_ORDER)
    preferred = preferred_channel(user)
    if preferred in order:
        order.remove(preferred)
        order.insert(0, preferred)
    for channel in order:
        if not enabled(channel):
            continue
        address = address_on(user, channel)
        if address:
            found.append((channel, address))
    return found


def preferred_channel(user: Any) -> str:
    try:
        from sinergi.people.models import Person
    except ImportError:
        return ""
    return Person.objects.filter(user_id=user.pk).values_list("preferred_channel", flat=True).first() or ""


def area_of(user: Any) -> str:
    """The recipient's area: their roster area, else their first membership's."""
    if user is None or not getattr(user, "pk", None):
        return ""
    try:
        from sinergi.people.models import Person

        code = Person.objects.filter(user_id=user.pk).values_list("area_id", flat=True).first()
        if code:
            return str(code)
    except ImportError:
        pass
    from sinergi.accounts.models import Membership

    return str(
        Membership.objects.filter(user_id=user.pk).order_by("id").values_list("area_id", flat=True).first() or ""
    )
