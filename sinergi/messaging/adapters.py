"""One adapter per provider, each speaking that provider's documented HTTP API.

An adapter's `send(message)` returns a `Sent` (the provider's message id and the status to record)
or raises `Transient` (timeout, 5xx, 429: retried with backoff) or `Permanent` (the provider refused
this message: failed at once, with the provider's reason). Credentials come from settings only.

- android: "SMS Gateway for Android" (capcom6), local server `POST {url}/message` or cloud/private
  `POST {url}/3rdparty/v1/messages` (the URL setting holds the prefix), basic auth, JSON
  `{"id", "textMessage": {"text"}, "phoneNumbers": [...], "withDeliveryReport": true}`; answers 202
  with `{"id", "state", "recipients": [{"phoneNumber", "state", "error"}]}`.
- twilio: `POST {url}/2010-04-01/Accounts/{sid}/Messages.json`, form-encoded `To`, `From` (or
  `MessagingServiceSid`), `Body`, `StatusCallback`; basic auth sid:token; 201 `{"sid", "status"}`,
  errors `{"code", "message", "status"}`.
- whatsapp: Cloud API `POST {graph}/{phone-number-id}/messages`, bearer token, JSON
  `{"messaging_product": "whatsapp", "to", "type": "text", "text": {"body"}}`; 200
  `{"messages": [{"id": "wamid..."}]}`, errors `{"error": {"message", "code", "error_data"}}`.
- telegram: Bot API `POST {url}/bot{token}/sendMessage` JSON `{"chat_id", "text"}`; `{"ok": true,
  "result": {"message_id"}}` or `{"ok": false, "error_code", "description", "parameters": {"retry_after"}}`.
- email: Django's mail (SMTP or whatever `EMAIL_BACKEND` says).
"""

import base64
import json
import socket
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage

from sinergi.messaging.models import OutboundMessage, Status


@dataclass(frozen=True)
class Sent:
    provider_message_id: str | None
    status: str = Status.SENT


class Transient(Exception):
    """Try again later (the provider was slow, down or asked us to slow down)."""

    def __init__(self, reason: str, retry_after: float | None = None):
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


class Permanent(Exception):
    """The provider refused this message; retrying would not help."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes
    headers: dict[str, str]

    def json(self) -> Any:
        try:
            return json.loads(self.body or b"null")
        except ValueError:
            return None


def http(method: str, url: str, *, body: bytes | None = None, headers: dict[str, str] | None = None) -> Response:
    """One HTTP request with the configured timeout; network trouble is `Transient`."""
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=settings.SINERGI_MESSAGING_HTTP_TIMEOUT) as answer:
            return Response(answer.status, answer.read(), dict(answer.headers))
    except urllib.error.HTTPError as error:
        return Response(error.code, error.read() or b"", dict(error.headers or {}))
    except TimeoutError as error:
        raise Transient(f"timeout after {settings.SINERGI_MESSAGING_HTTP_TIMEOUT:g} s") from error
    except urllib.error.URLError as error:
        if isinstance(error.reason, TimeoutError | socket.timeout):
            raise Transient(f"timeout after {settings.SINERGI_MESSAGING_HTTP_TIMEOUT:g} s") from error
        raise Transient(f"gateway unreachable: {error.reason}") from error
    except (ConnectionError, OSError) as error:
        raise Transient(f"gateway unreachable: {error}") from error


def basic_auth(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def _retry_after(response: Response) -> float | None:
    value = response.headers.get("Retry-After") or response.headers.get("retry-after")
    try:
        return float(value) if value else None
    except ValueError:
        return None


def _refuse(response: Response, reason: str) -> None:
    """Raise for an error answer: 429 and 5xx are transient, other 4xx permanent."""
    reason = f"HTTP {response.status}: {reason}"[:300]
    if response.status == 429 or response.status >= 500:
        raise Transient(reason, _retry_after(response))
    raise Permanent(reason)


class AndroidGateway:
    name = "android"

    def send(self, message: OutboundMessage) -> Sent:
        base = settings.SINERGI_ANDROID_SMS_URL.rstrip("/")
        path = "/messages" if base.endswith("/3rdparty/v1") else "/message"
        our_id = f"sinergi-{message.pk}"
        payload = {
            "id": our_id,  # our id: a retry after a timeout cannot send twice
            "textMessage": {"text": message.text},
            "phoneNumbers": [message.address],
            "withDeliveryReport": True,
        }
        response = http(
            "POST",
            base + path,
            body=json.dumps(payload).encode(),
            headers={
                "Content-Type": "application/json",
                "Authorization": basic_auth(settings.SINERGI_ANDROID_SMS_USER, settings.SINERGI_ANDROID_SMS_PASSWORD),
            },
        )
        data = response.json() if isinstance(response.json(), dict) else {}
        if response.status == 409:  # the gateway already has our id: the earlier attempt got through
            return Sent(our_id)
        if response.status >= 300:
            _refuse(
                response, str(data.get("message") or data.get("error") or response.body[:200].decode(errors="replace"))
            )
        recipients = data.get("recipients") or []
        failed = [r for r in recipients if str(r.get("state", "")).lower() == "failed"]
        if failed:
            raise Permanent(str(failed[0].get("error") or "gateway refused the recipient"))
        return Sent(str(data.get("id") or our_id))


class Twilio:
    name = "twilio"

    def send(self, message: OutboundMessage) -> Sent:
        sid = settings.SINERGI_TWILIO_ACCOUNT_SID
        url = f"{settings.SINERGI_TWILIO_URL.rstrip('/')}/2010-04-01/Accounts/{sid}/Messages.json"
        sender = settings.SINERGI_TWILIO_FROM
        form = {"To": message.address, "Body": message.text, "StatusCallback": twilio_status_url()}
        form["MessagingServiceSid" if sender.startswith("MG") else "From"] = sender
        response = http(
            "POST",
            url,
            body=urllib.parse.urlencode(form).encode(),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Authorization": basic_auth(sid, settings.SINERGI_TWILIO_AUTH_TOKEN),
            },
        )
        data = response.json() if isinstance(response.json(), dict) else {}
        if response.status >= 300:
            _refuse(response, f"{data.get('code', '')} {data.get('message', '')}".strip() or "Twilio refused")
        if data.get("status") == "failed":
            raise Permanent(f"{data.get('error_code')} {data.get('error_message') or ''}".strip())
        return Sent(str(data["sid"]))


def twilio_status_url() -> str:
    return settings.SINERGI_PUBLIC_URL.rstrip("/") + "/api/v1/messaging/twilio/status"


# WhatsApp error codes that mean "slow down" (rate and pair-rate limits, throughput) or "try later".
WHATSAPP_TRANSIENT = {4, 80007, 130429, 131000, 131016, 131048, 131056, 133004}


class WhatsApp:
    name = "whatsapp"

    def send(self, message: OutboundMessage) -> Sent:
        url = f"{settings.SINERGI_WHATSAPP_URL.rstrip('/')}/{settings.SINERGI_WHATSAPP_PHONE_NUMBER_ID}/messages"
        payload = {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": message.address.lstrip("+"),
            "type": "text",
            "text": {"preview_url": False, "body": message.text},
        }
        response = http(
            "POST",
            url,
            body=json.dumps(payload).encode(),
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {settings.SINERGI_WHATSAPP_TOKEN}"},
        )
        data = response.json() if isinstance(response.json(), dict) else {}
        if response.status >= 300:
            error = data.get("error") or {}
            details = (error.get("error_data") or {}).get("details") or ""
            reason = f"{error.get('code', '')} {error.get('message', '')} {details}".strip() or "WhatsApp refused"
            if error.get("code") in WHATSAPP_TRANSIENT:
                raise Transient(f"HTTP {response.status}: {reason}"[:300], _retry_after(response))
            _refuse(response, reason)
        messages = data.get("messages") or []
        if not messages:
            raise Permanent("WhatsApp answered without a message id")
        return Sent(str(messages[0]["id"]))


class Telegram:
    name = "telegram"

    def send(self, message: OutboundMessage) -> Sent:
        url = f"{settings.SINERGI_TELEGRAM_URL.rstrip('/')}/bot{settings.SINERGI_TELEGRAM_BOT_TOKEN}/sendMessage"
        response = http(
            "POST",
            url,
            body=json.dumps({"chat_id": message.address, "text": message.text}).encode(),
            headers={"Content-Type": "application/json"},
        )
        data = response.json() if isinstance(response.json(), dict) else {}
        if not data.get("ok"):
            description = str(data.get("description") or "Telegram refused")
            if response.status == 429 or data.get("error_code") == 429 or response.status >= 500:
                retry = (data.get("parameters") or {}).get("retry_after")
                raise Transient(f"HTTP {response.status}: {description}"[:300], float(retry) if retry else None)
            raise Permanent(f"HTTP {response.status}: {description}"[:300])
        # The Bot API has no delivery receipts: a message it accepted is in the recipient's chat.
        return Sent(f"{message.address}:{data['result']['message_id']}", status=Status.DELIVERED)


class Email:
    name = "email"

    def send(self, message: OutboundMessage) -> Sent:
        subject = message.text.split("\n", 1)[0][:78]
        try:
            EmailMessage(subject, message.text, settings.DEFAULT_FROM_EMAIL, [message.address]).send()
        except (OSError, TimeoutError) as error:  # smtplib errors are OSErrors
            raise Transient(f"mail server: {error}"[:300]) from error
        return Sent(None)  # accepted by the mail server; e-mail has no delivery receipt


ADAPTERS: dict[str, Any] = {a.name: a for a in (AndroidGateway(), Twilio(), WhatsApp(), Telegram(), Email())}


def adapter_for(provider: str) -> Any:
    return ADAPTERS[provider]
