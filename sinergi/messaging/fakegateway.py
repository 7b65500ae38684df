"""A local stand-in for the message providers, for the demo and the tests: one HTTP server on
127.0.0.1 that speaks each provider's documented request and answer format, and produces the
callbacks each provider would send (signed as that provider signs them).

Paths (the Sinergi settings point at these prefixes):
- `/android/message` (SMS Gateway for Android, local-server API; basic auth)
- `/twilio/2010-04-01/Accounts/{sid}/Messages.json` (Twilio Messages API; basic auth sid:token)
- `/whatsapp/{phone-number-id}/messages` (WhatsApp Cloud API; bearer token)
- `/telegram/bot{token}/sendMessage` (Telegram Bot API)

Behaviour, per message: accepted (202/201/200), then `sent` and `delivered` callbacks; a number
ending in 0000 fails with the provider's own failure reason; a text that asks for a reply (a test
broadcast, "Balas ..."/"Reply ...") gets a simulated reply from the recipient. `force(provider,
status, times)` makes the next answers errors, `delay` makes every answer slow (timeouts).

With `post_callbacks=True` (the demo) a background thread posts each callback to Sinergi's webhooks
at `callback_base`; otherwise they are kept in `callbacks` for a test to post through its client.
"""

import base64
import contextlib
import itertools
import json
import queue
import re
import secrets
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from sinergi.messaging import signatures

FAILING = re.compile(r"0000$")
ASKS_FOR_REPLY = re.compile(r"\b(balas|reply)\b", re.IGNORECASE)
REPLY_CODE = re.compile(r"\bOK\s+([A-Z0-9-]+)", re.IGNORECASE)


@dataclass
class Credentials:
    android_user: str = "sinergi"
    android_password: str = "demo-android-password"
    android_webhook_secret: str = "demo-android-webhook-secret"
    twilio_sid: str = "AC00000000000000000000000000000000"
    twilio_token: str = "demo-twilio-token"
    whatsapp_token: str = "demo-whatsapp-token"
    whatsapp_phone_number_id: str = "100000000000001"
    whatsapp_app_secret: str = "demo-whatsapp-app-secret"
    telegram_token: str = "123456:demo-telegram-token"
    telegram_secret: str = "demo-telegram-secret"


@dataclass
class Callback:
    """One webhook request the provider sends to Sinergi."""

    path: str  # under /api/v1/
    headers: dict[str, str]
    body: bytes
    content_type: str
    due: float = 0.0  # monotonic time to post it (demo)


@dataclass
class Forced:
    status: int
    times: int


@dataclass
class FakeGateway:
    credentials: Credentials = field(default_factory=Credentials)
    callback_base: str = "http://127.0.0.1:8000"
    post_callbacks: bool = False
    callback_delay: float = 1.0
    delay: float = 0.0  # seconds before every answer (slow gateway, timeouts)
    requests: list[dict[str, Any]] = field(default_factory=list)
    callbacks: list[Callback] = field(default_factory=list)
    forced: dict[str, Forced] = field(default_factory=dict)
    sent_ids: set[str] = field(default_factory=set)
    fail_percent: int = 0  # besides numbers ending in 0000, this share of numbers fails (same ones each run)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._counter = itertools.count(1)
        self._outbox: queue.Queue[Callback] = queue.Queue()
        self.server: ThreadingHTTPServer | None = None
        self.posted: list[tuple[str, int]] = []

    # -- control -----------------------------------------------------------------------------

    def force(self, provider: str, status: int, times: int = 1) -> None:
        """The next `times` requests to `provider` answer `status` (500, 429, 400, ...)."""
        self.forced[provider] = Forced(status, times)

    def _forced(self, provider: str) -> int | None:
        with self._lock:
            rule = self.forced.get(provider)
            if rule is None or rule.times <= 0:
                return None
            rule.times -= 1
            return rule.status

    def start(self, host: str = "127.0.0.1", port: int = 0) -> "FakeGateway":
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:  # quiet
                return

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                status, payload, content_type = gateway.handle(self.path, dict(self.headers), body)
                if gateway.delay:
                    time.sleep(gateway.delay)
                data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", content_type)
                    self.send_header("Content-Length", str(len(data)))
                    if status == 429:
                        self.send_header("Retry-After", "1")
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):  # the client timed out first
                    pass

        self.server = ThreadingHTTPServer((host, port), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        if self.post_callbacks:
            threading.Thread(target=self._post_loop, daemon=True).start()
        return self

    @property
    def url(self) -> str:
        assert self.server is not None
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()

    # -- requests ----------------------------------------------------------------------------

    def handle(self, path: str, headers: dict[str, str], body: bytes) -> tuple[int, Any, str]:
        route = urllib.parse.urlparse(path).path
        with self._lock:
            self.requests.append({"path": route, "headers": headers, "body": body})
        if route.startswith("/android/"):
            return self._android(route, headers, body)
        if route.startswith("/twilio/"):
            return self._twilio(route, headers, body)
        if route.startswith("/whatsapp/"):
            return self._whatsapp(route, headers, body)
        if route.startswith("/telegram/"):
            return self._telegram(route, body)
        return 404, {"error": "not found"}, "application/json"

    def _basic(self, headers: dict[str, str]) -> tuple[str, str]:
        value = headers.get("Authorization", "")
        if not value.startswith("Basic "):
            return "", ""
        user, _, password = base64.b64decode(value[6:]).decode(errors="replace").partition(":")
        return user, password

    def _android(self, route: str, headers: dict[str, str], body: bytes) -> tuple[int, Any, str]:
        creds = self.credentials
        if route not in ("/android/message", "/android/3rdparty/v1/messages"):
            return 404, {"message": "Not Found"}, "application/json"
        if self._basic(headers) != (creds.android_user, creds.android_password):
            return 401, {"message": "Unauthorized"}, "application/json"
        forced = self._forced("android")
        if forced:
            return forced, {"message": f"forced error {forced}"}, "application/json"
        try:
            data = json.loads(body)
            text = data["textMessage"]["text"]
            phones = data["phoneNumbers"]
        except (ValueError, KeyError, TypeError):
            return 400, {"message": "textMessage.text and phoneNumbers are required"}, "application/json"
        bad = [p for p in phones if not re.fullmatch(r"\+[1-9]\d{6,14}", str(p))]
        if bad:
            return 400, {"message": f"invalid phone number: {bad[0]}"}, "application/json"
        message_id = str(data.get("id") or secrets.token_urlsafe(12))
        with self._lock:
            if message_id in self.sent_ids:
                return 409, {"message": "message with the same ID already exists"}, "application/json"
            self.sent_ids.add(message_id)
        for phone in phones:
            self._android_callbacks(message_id, phone, text)
        answer = {
            "id": message_id,
            "deviceId": "fake-device-0001",
            "state": "Pending",
            "isHashed": False,
            "isEncrypted": False,
            "recipients": [{"phoneNumber": p, "state": "Pending", "error": None} for p in phones],
            "states": {"Pending": _iso()},
        }
        return 202, answer, "application/json"

    def _android_event(self, event: str, payload: dict[str, Any], delay: float) -> None:
        body = json.dumps(
            {
                "deviceId": "fake-device-0001",
                "event": event,
                "id": secrets.token_urlsafe(12),
                "payload": payload,
                "webhookId": f"fake-{event}",
            }
        ).encode()
        timestamp = str(int(time.time()))
        sign = signatures.android_sign(self.credentials.android_webhook_secret, body, timestamp)
        self._emit(
            Callback(
                "messaging/android/webhook",
                {"X-Signature": sign, "X-Timestamp": timestamp},
                body,
                "application/json",
                time.monotonic() + delay,
            )
        )

    def _android_callbacks(self, message_id: str, phone: str, text: str) -> None:
        base = {"messageId": message_id, "phoneNumber": phone, "simNumber": 1}
        self._android_event("sms:sent", {**base, "sentAt": _iso()}, self.callback_delay)
        if _fails(self, phone):
            self._android_event(
                "sms:failed",
                {**base, "failedAt": _iso(), "reason": "RESULT_ERROR_GENERIC_FAILURE"},
                2 * self.callback_delay,
            )
            return
        self._android_event("sms:delivered", {**base, "deliveredAt": _iso()}, 2 * self.callback_delay)
        if ASKS_FOR_REPLY.search(text):
            self._android_event(
                "sms:received",
                {
                    "messageId": secrets.token_hex(6),
                    "message": _reply_to(text),
                    "phoneNumber": phone,
                    "simNumber": 1,
                    "receivedAt": _iso(),
                },
                4 * self.callback_delay,
            )

    def _twilio(self, route: str, headers: dict[str, str], body: bytes) -> tuple[int, Any, str]:
        creds = self.credentials
        expected = f"/twilio/2010-04-01/Accounts/{creds.twilio_sid}/Messages.json"
        if route != expected:
            return (
                404,
                {"code": 20404, "message": "The requested resource was not found", "status": 404},
                "application/json",
            )
        if self._basic(headers) != (creds.twilio_sid, creds.twilio_token):
            return 401, {"code": 20003, "message": "Authenticate", "status": 401}, "application/json"
        forced = self._forced("twilio")
        if forced:
            code = 20429 if forced == 429 else 20500
            return (
                forced,
                {"code": code, "message": "Too Many Requests" if forced == 429 else "Internal error", "status": forced},
                "application/json",
            )
        form = {k: v[0] for k, v in urllib.parse.parse_qs(body.decode()).items()}
        to, text = form.get("To", ""), form.get("Body", "")
        if not (form.get("From") or form.get("MessagingServiceSid")):
            return (
                400,
                {"code": 21603, "message": "A 'From' or 'MessagingServiceSid' parameter is required.", "status": 400},
                "application/json",
            )
        if not re.fullmatch(r"\+[1-9]\d{6,14}", to):
            return (
                400,
                {"code": 21211, "message": f"The 'To' number {to} is not a valid phone number.", "status": 400},
                "application/json",
            )
        sid = f"SM{secrets.token_hex(16)}"
        callback = form.get("StatusCallback")
        if callback:
            self._twilio_status(callback, sid, to, "sent", None, self.callback_delay)
            if _fails(self, to):
                self._twilio_status(callback, sid, to, "undelivered", "30003", 2 * self.callback_delay)
            else:
                self._twilio_status(callback, sid, to, "delivered", None, 2 * self.callback_delay)
        answer = {
            "sid": sid,
            "account_sid": creds.twilio_sid,
            "to": to,
            "from": form.get("From"),
            "messaging_service_sid": form.get("MessagingServiceSid"),
            "body": text,
            "status": "queued",
            "num_segments": "1",
            "direction": "outbound-api",
            "error_code": None,
            "error_message": None,
            "date_created": datetime.now(UTC).strftime("%a, %d %b %Y %H:%M:%S +0000"),
            "uri": f"/2010-04-01/Accounts/{creds.twilio_sid}/Messages/{sid}.json",
        }
        return 201, answer, "application/json"

    def _twilio_status(self, url: str, sid: str, to: str, status: str, error: str | None, delay: float) -> None:
        params = {
            "MessageSid": sid,
            "SmsSid": sid,
            "AccountSid": self.credentials.twilio_sid,
            "To": to,
            "MessageStatus": status,
            "SmsStatus": status,
        }
        if error:
            params["ErrorCode"] = error
        signature = signatures.twilio_signature(self.credentials.twilio_token, url, params)
        path = urllib.parse.urlparse(url).path.removeprefix("/api/v1/")
        self._emit(
            Callback(
                path,
                {"X-Twilio-Signature": signature},
                urllib.parse.urlencode(params).encode(),
                "application/x-www-form-urlencoded",
                time.monotonic() + delay,
            )
        )

    def _whatsapp(self, route: str, headers: dict[str, str], body: bytes) -> tuple[int, Any, str]:
        creds = self.credentials
        if route != f"/whatsapp/{creds.whatsapp_phone_number_id}/messages":
            return 400, _meta_error(100, "Unsupported post request.", "GraphMethodException"), "application/json"
        if headers.get("Authorization") != f"Bearer {creds.whatsapp_token}":
            return (
                401,
                _meta_error(190, "Invalid OAuth access token - Cannot parse access token", "OAuthException"),
                "application/json",
            )
        forced = self._forced("whatsapp")
        if forced:
            code = 130429 if forced == 429 else 131000
            return (
                forced,
                _meta_error(code, "Rate limit hit" if forced == 429 else "Something went wrong", "OAuthException"),
                "application/json",
            )
        try:
            data = json.loads(body)
            assert data["messaging_product"] == "whatsapp" and data["type"] == "text"
            to, text = str(data["to"]), data["text"]["body"]
        except (ValueError, KeyError, TypeError, AssertionError):
            return 400, _meta_error(100, "Invalid parameter", "OAuthException"), "application/json"
        wamid = f"wamid.{base64.b64encode(secrets.token_bytes(18)).decode()}"
        self._whatsapp_status(wamid, to, "sent", None, self.callback_delay)
        if _fails(self, to):
            self._whatsapp_status(
                wamid,
                to,
                "failed",
                {
                    "code": 131026,
                    "title": "Message undeliverable",
                    "error_data": {"details": "Receiver is incapable of receiving this message"},
                },
                2 * self.callback_delay,
            )
        else:
            self._whatsapp_status(wamid, to, "delivered", None, 2 * self.callback_delay)
            if ASKS_FOR_REPLY.search(text):
                self._whatsapp_inbound(to, _reply_to(text), wamid, 4 * self.callback_delay)
        return (
            200,
            {"messaging_product": "whatsapp", "contacts": [{"input": to, "wa_id": to}], "messages": [{"id": wamid}]},
            "application/json",
        )

    def _whatsapp_post(self, value: dict[str, Any], delay: float) -> None:
        body = json.dumps(
            {
                "object": "whatsapp_business_account",
                "entry": [
                    {
                        "id": "102290129340398",
                        "changes": [
                            {
                                "value": {
                                    "messaging_product": "whatsapp",
                                    "metadata": {
                                        "display_phone_number": "15550783881",
                                        "phone_number_id": self.credentials.whatsapp_phone_number_id,
                                    },
                                    **value,
                                },
                                "field": "messages",
                            }
                        ],
                    }
                ],
            }
        ).encode()
        signature = signatures.meta_signature(self.credentials.whatsapp_app_secret, body)
        self._emit(
            Callback(
                "messaging/whatsapp/webhook",
                {"X-Hub-Signature-256": signature},
                body,
                "application/json",
                time.monotonic() + delay,
            )
        )

    def _whatsapp_status(self, wamid: str, to: str, status: str, error: dict | None, delay: float) -> None:
        item: dict[str, Any] = {"id": wamid, "status": status, "timestamp": str(int(time.time())), "recipient_id": to}
        if error:
            item["errors"] = [error]
        self._whatsapp_post({"statuses": [item]}, delay)

    def _whatsapp_inbound(self, sender: str, text: str, context_id: str | None, delay: float) -> None:
        message: dict[str, Any] = {
            "from": sender,
            "id": f"wamid.{secrets.token_hex(12)}",
            "timestamp": str(int(time.time())),
            "type": "text",
            "text": {"body": text},
        }
        if context_id:
            message["context"] = {"from": "15550783881", "id": context_id}
        self._whatsapp_post(
            {"contacts": [{"profile": {"name": "Petugas"}, "wa_id": sender}], "messages": [message]}, delay
        )

    def _telegram(self, route: str, body: bytes) -> tuple[int, Any, str]:
        match = re.fullmatch(r"/telegram/bot([^/]+)/sendMessage", route)
        if not match or match.group(1) != self.credentials.telegram_token:
            return 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}, "application/json"
        forced = self._forced("telegram")
        if forced == 429:
            return (
                429,
                {
                    "ok": False,
                    "error_code": 429,
                    "description": "Too Many Requests: retry after 3",
                    "parameters": {"retry_after": 3},
                },
                "application/json",
            )
        if forced:
            return (
                forced,
                {"ok": False, "error_code": forced, "description": "Internal Server Error"},
                "application/json",
            )
        try:
            data = json.loads(body)
            chat, text = data["chat_id"], data["text"]
        except (ValueError, KeyError, TypeError):
            return (
                400,
                {"ok": False, "error_code": 400, "description": "Bad Request: message text is empty"},
                "application/json",
            )
        if _fails(self, str(chat)):
            return (
                403,
                {"ok": False, "error_code": 403, "description": "Forbidden: bot was blocked by the user"},
                "application/json",
            )
        message_id = next(self._counter)
        if ASKS_FOR_REPLY.search(text):
            self._telegram_update(str(chat), _reply_to(text), message_id, 4 * self.callback_delay)
        result = {
            "message_id": message_id,
            "from": {"id": 123456, "is_bot": True, "first_name": "Sinergi", "username": "sinergi_bot"},
            "chat": {"id": int(chat), "type": "private"},
            "date": int(time.time()),
            "text": text,
        }
        return 200, {"ok": True, "result": result}, "application/json"

    def telegram_update(self, chat: str, text: str, reply_to: int | None = None) -> Callback:
        """A message a user types to the bot (the test or the demo builds it)."""
        return self._telegram_update(chat, text, reply_to, 0.0)

    def _telegram_update(self, chat: str, text: str, reply_to: int | None, delay: float) -> Callback:
        message: dict[str, Any] = {
            "message_id": next(self._counter) + 100000,
            "from": {"id": int(chat), "is_bot": False, "first_name": "Petugas", "language_code": "id"},
            "chat": {"id": int(chat), "type": "private"},
            "date": int(time.time()),
            "text": text,
        }
        if reply_to is not None:
            message["reply_to_message"] = {
                "message_id": reply_to,
                "chat": {"id": int(chat), "type": "private"},
                "date": int(time.time()),
            }
        body = json.dumps({"update_id": next(self._counter) + 500000, "message": message}).encode()
        callback = Callback(
            "messaging/telegram/webhook",
            {"X-Telegram-Bot-Api-Secret-Token": self.credentials.telegram_secret},
            body,
            "application/json",
            time.monotonic() + delay,
        )
        self._emit(callback)
        return callback

    def whatsapp_inbound(self, sender: str, text: str, context_id: str | None = None) -> Callback:
        self._whatsapp_inbound(sender, text, context_id, 0.0)
        return self.callbacks[-1]

    def android_inbound(self, phone: str, text: str) -> Callback:
        self._android_event(
            "sms:received",
            {
                "messageId": secrets.token_hex(6),
                "message": text,
                "phoneNumber": phone,
                "simNumber": 1,
                "receivedAt": _iso(),
            },
            0.0,
        )
        return self.callbacks[-1]

    # -- callbacks ---------------------------------------------------------------------------

    def _emit(self, callback: Callback) -> None:
        with self._lock:
            self.callbacks.append(callback)
        if self.post_callbacks:
            self._outbox.put(callback)

    def take_callbacks(self) -> list[Callback]:
        with self._lock:
            taken, self.callbacks = self.callbacks, []
        return taken

    def _post_loop(self) -> None:
        pending: list[Callback] = []
        while True:
            with contextlib.suppress(queue.Empty):
                pending.append(self._outbox.get(timeout=0.2))
            now = time.monotonic()
            ready = sorted((c for c in pending if c.due <= now), key=lambda c: c.due)
            pending = [c for c in pending if c.due > now]
            for callback in ready:
                self.posted.append((callback.path, self._post(callback)))
                with self._lock:
                    if callback in self.callbacks:
                        self.callbacks.remove(callback)

    def _post(self, callback: Callback) -> int:
        url = f"{self.callback_base.rstrip('/')}/api/v1/{callback.path}"
        request = urllib.request.Request(
            url, data=callback.body, method="POST", headers={"Content-Type": callback.content_type, **callback.headers}
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as answer:
                return int(answer.status)
        except urllib.error.HTTPError as error:
            return int(error.code)
        except OSError:
            return 0


def _fails(gateway: "FakeGateway", number: str) -> bool:
    if FAILING.search(number):
        return True
    return gateway.fail_percent > 0 and zlib.crc32(number.encode()) % 100 < gateway.fail_percent


def _iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def _meta_error(code: int, message: str, kind: str) -> dict[str, Any]:
    return {
        "error": {
            "message": message,
            "type": kind,
            "code": code,
            "error_data": {"messaging_product": "whatsapp", "details": message},
            "fbtrace_id": secrets.token_urlsafe(9),
        }
    }


def _reply_to(text: str) -> str:
    """What a field officer answers to a test broadcast: 'OK <code>' when the text names one."""
    match = REPLY_CODE.search(text)
    return f"OK {match.group(1)}" if match else "OK"
