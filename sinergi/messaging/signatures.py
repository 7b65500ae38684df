"""Webhook authentication, one function per provider, each as that provider documents it."""

import base64
import hashlib
import hmac
import time
from collections.abc import Mapping

ANDROID_MAX_SKEW = 300  # seconds: the gateway docs advise accepting timestamps within ±5 minutes


def android_valid(secret: str, body: bytes, timestamp: str, signature: str, now: float | None = None) -> bool:
    """SMS Gateway for Android: X-Signature = hex HMAC-SHA256(key, raw body + X-Timestamp)."""
    if not (secret and timestamp and signature):
        return False
    try:
        skew = abs((now if now is not None else time.time()) - int(timestamp))
    except ValueError:
        return False
    if skew > ANDROID_MAX_SKEW:
        return False
    expected = hmac.new(secret.encode(), body + timestamp.encode(), hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature.lower())


def android_sign(secret: str, body: bytes, timestamp: str) -> str:
    return hmac.new(secret.encode(), body + timestamp.encode(), hashlib.sha256).hexdigest()


def twilio_signature(auth_token: str, url: str, params: Mapping[str, str]) -> str:
    """Twilio: base64 HMAC-SHA1(auth token, full URL + each POST parameter name and value, sorted by name)."""
    data = url + "".join(f"{name}{params[name]}" for name in sorted(params))
    return base64.b64encode(hmac.new(auth_token.encode(), data.encode(), hashlib.sha1).digest()).decode()


def twilio_valid(auth_token: str, url: str, params: Mapping[str, str], signature: str) -> bool:
    if not (auth_token and signature):
        return False
    return hmac.compare_digest(twilio_signature(auth_token, url, params), signature)


def meta_signature(app_secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()


def whatsapp_valid(app_secret: str, body: bytes, header: str) -> bool:
    """Meta: X-Hub-Signature-256 = 'sha256=' + hex HMAC-SHA256(app secret, raw body)."""
    if not (app_secret and header):
        return False
    return hmac.compare_digest(meta_signature(app_secret, body), header)


def telegram_valid(secret: str, header: str) -> bool:
    """Telegram: the secret_token given to setWebhook comes back in X-Telegram-Bot-Api-Secret-Token."""
    return bool(secret) and hmac.compare_digest(secret, header or "")
