"""SMS intake: `LAPOR <desa or TPS code> <category keyword> <text>` becomes a report."""

from django.utils.translation import gettext as _

from sinergi.accounts.selectors import user_for_phone
from sinergi.core.errors import DomainError
from sinergi.core.models import Channel
from sinergi.core.sms import SmsMessage, SmsReply
from sinergi.incidents import services
from sinergi.incidents.models import Category
from sinergi.incidents.sms_format import SmsFormatError, parse

EXAMPLE = "LAPOR 6402062012 UANG ada pembagian amplop di dekat TPS 003"


def _category(keyword: str) -> Category | None:
    for category in Category.objects.filter(is_active=True).exclude(sms_keywords=""):
        if keyword in category.keywords():
            return category
    return None


def _keywords_hint() -> str:
    words = [c.keywords()[0] for c in Category.objects.filter(is_active=True).exclude(sms_keywords="")]
    return "/".join(words)


def handle_report(message: SmsMessage) -> SmsReply:
    try:
        parsed = parse(message.words)
    except SmsFormatError as problem:
        return _refused(str(problem))
    category = _category(parsed.keyword)
    if category is None:
        unknown = _("kata kunci '%(keyword)s' tidak dikenal. Pilih %(choices)s") % {
            "keyword": parsed.keyword,
            "choices": _keywords_hint(),
        }
        return _refused(unknown)
    user = user_for_phone(message.sender)
    intake = services.Intake(
        category=category.code,
        area_code=parsed.tps_code or parsed.desa_code,
        description=parsed.text,
        reporter_contact=message.sender,
        client_id=f"sms:{message.message_id}" if message.message_id else None,
    )
    try:
        report, _created = services.report_create(intake=intake, channel=Channel.SMS, actor=user)
    except DomainError as problem:
        return _refused(problem.detail)
    where = report.agency.name if report.agency else "Kesbangpol"
    accepted = _("Laporan %(ref)s diterima (%(category)s), diteruskan ke %(agency)s. Kode lacak: %(code)s")
    return SmsReply(
        accepted % {"ref": report.ref, "category": category.label, "agency": where, "code": report.tracking_code},
        ok=True,
    )


def _refused(reason: str) -> SmsReply:
    text = _("Laporan belum diterima: %(reason)s. Contoh: %(example)s") % {"reason": reason, "example": EXAMPLE}
    return SmsReply(text, ok=False)


HANDLERS = {"LAPOR": handle_report}
EXAMPLES = {"LAPOR": EXAMPLE}
