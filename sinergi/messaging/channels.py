"""Which channels are switched on (settings), which provider carries each, and how to reach a user."""

from dataclasses import dataclass, field
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


def _chunks(ids: list[int], size: int = 5000) -> list[list[int]]:
    return [ids[i : i + size] for i in range(0, len(ids), size)]


def _e164(raw: str) -> str | None:
    from sinergi.people.phones import to_e164_or_none

    return to_e164_or_none(raw)


@dataclass
class Facts:
    """What choosing a channel needs about a set of users, read in a constant number of queries:
    roster person (preferred channel, opt-out, area), phones (last verified first), Telegram chats,
    first membership area, and the opt-outs of every candidate address."""

    persons: dict[int, dict[str, Any]] = field(default_factory=dict)
    phones: dict[int, list[str]] = field(default_factory=dict)
    chats: dict[int, str] = field(default_factory=dict)
    areas: dict[int, str] = field(default_factory=dict)
    opted_out: set[tuple[str, str]] = field(default_factory=set)
    users: dict[int, Any] = field(default_factory=dict)

    @classmethod
    def load(cls, users: list[Any]) -> "Facts":
        from sinergi.accounts.models import Membership
        from sinergi.messaging.models import OptOut, TelegramLink
        from sinergi.people.models import Person, Phone

        facts = cls(users={u.pk: u for u in users if getattr(u, "pk", None)})
        for ids in _chunks(list(facts.users)):
            for row in Person.objects.filter(user_id__in=ids).values(
                "user_id", "preferred_channel", "opted_out_at", "area_id"
            ):
                facts.persons[row["user_id"]] = dict(row)
            for user_id, e164 in Phone.objects.filter(person__user_id__in=ids).values_list("person__user_id", "e164"):
                facts.phones.setdefault(user_id, []).append(e164)  # Phone's ordering: last verified first
            facts.chats.update(TelegramLink.objects.filter(user_id__in=ids).values_list("user_id", "chat_id"))
            for user_id, area in (
                Membership.objects.filter(user_id__in=ids).order_by("-id").values_list("user_id", "area_id")
            ):
                facts.areas[user_id] = area  # the first membership wins (ordered last to first)
        for pk, user in facts.users.items():
            if pk not in facts.phones:
                fallback = _e164(getattr(user, "phone", "") or "")
                facts.phones[pk] = [fallback] if fallback else []
        candidates = {a for pk in facts.users for _c, a in facts._candidates(pk)}
        addresses = sorted(candidates)
        for i in range(0, len(addresses), 5000):
            facts.opted_out.update(
                OptOut.objects.filter(address__in=addresses[i : i + 5000]).values_list("channel", "address")
            )
        return facts

    def _candidates(self, pk: int) -> list[tuple[str, str]]:
        user = self.users[pk]
        phones = self.phones.get(pk) or []
        found = []
        for channel in self.order(pk):
            if channel in (Channel.SMS, Channel.WHATSAPP) and phones:
                found.append((channel, phones[0]))
            elif channel == Channel.TELEGRAM and pk in self.chats:
                found.append((channel, self.chats[pk]))
            elif channel == Channel.EMAIL and (getattr(user, "email", None) or ""):
                found.append((channel, user.email))
        return found

    def order(self, pk: int) -> list[str]:
        order = [c for c in settings.SINERGI_MESSAGING_CHANNEL_ORDER if enabled(c)]
        preferred = (self.persons.get(pk) or {}).get("preferred_channel") or ""
        if preferred in order:
            order.remove(preferred)
            order.insert(0, preferred)
        return order

    def reachable(self, user: Any) -> list[tuple[str, str]]:
        return self._candidates(user.pk) if user.pk in self.users else []

    def opted_out_user(self, user: Any) -> bool:
        return bool((self.persons.get(user.pk) or {}).get("opted_out_at"))

    def opted_out_address(self, channel: str, address: str) -> bool:
        return (str(channel), address) in self.opted_out

    def area(self, user: Any) -> str:
        code = (self.persons.get(user.pk) or {}).get("area_id") or self.areas.get(user.pk) or ""
        return str(code)


def reachable(user: Any) -> list[tuple[str, str]]:
    """(channel, address) in the order of preference: the person's preferred channel first, then
    `SINERGI_MESSAGING_CHANNEL_ORDER`; enabled channels only."""
    return Facts.load([user]).reachable(user)


def area_of(user: Any) -> str:
    """The recipient's area: their roster area, else their first membership's."""
    if user is None or not getattr(user, "pk", None):
        return ""
    return Facts.load([user]).area(user)
