"""SMS keyword TPS: `TPS <tps code> <checkpoint> <voters>`, e.g. `TPS 64.02.06.1001.001 11 145`.

The sender is identified by the phone number on their account; the gateway's message id is the
client id, so a gateway retry is stored once.
"""

from django.utils.translation import gettext
from django.utils.translation import gettext as _

from sinergi.accounts.selectors import user_for_phone
from sinergi.areas.codes import DESA_DEPTH, ancestor_at, normalise_tps_code
from sinergi.core.errors import DomainError
from sinergi.core.formatting import number
from sinergi.core.models import Channel
from sinergi.core.sms import SmsMessage, SmsReply
from sinergi.turnout.services import ReportInput, report_submit_as
from sinergi.turnout.voting_day import election_for

FORMAT = "TPS <kode TPS> <titik: 09/11/13/final> <jumlah pemilih>"  # the keyword syntax, the same in every language


def handle_tps(message: SmsMessage) -> SmsReply:
    if len(message.words) != 3:
        return SmsReply(_("Format salah. Kirim: %(format)s") % {"format": FORMAT}, ok=False)
    raw_code, checkpoint, raw_voters = message.words
    code = normalise_tps_code(raw_code)
    if code is None:
        unknown = _("Kode TPS '%(code)s' tidak dikenal. Kirim: %(format)s") % {"code": raw_code, "format": FORMAT}
        return SmsReply(unknown, ok=False)
    # ASCII digits only: `isdigit` also accepts superscripts, which `int` refuses (a 500), and a count
    # has at most a few digits (`int` refuses thousands of them).
    if not (raw_voters.isascii() and raw_voters.isdigit() and len(raw_voters) <= 6):
        not_a_number = _("Jumlah pemilih '%(value)s' harus angka. Kirim: %(format)s")
        return SmsReply(not_a_number % {"value": raw_voters, "format": FORMAT}, ok=False)
    user = user_for_phone(message.sender)
    if user is None:
        return SmsReply(_("Nomor Anda tidak terdaftar di Sinergi. Hubungi operator KPU."), ok=False)
    item = ReportInput(
        tps_code=code, checkpoint=checkpoint.lower(), voters=int(raw_voters), client_id=_client_id(message)
    )
    try:
        election = election_for(ancestor_at(code, DESA_DEPTH))
        [result] = report_submit_as(user=user, election=election, items=[item], channel=Channel.SMS)
    except DomainError as exc:
        return SmsReply(_("Ditolak: %(reason)s") % {"reason": exc.detail}, ok=False)
    warning = (" " + _("Perlu diperiksa: %(reason)s.") % {"reason": result.flags[0]["message"]}) if result.flags else ""
    if result.held:
        warning += " " + gettext("Ditahan: tidak dihitung sampai pengawas KPU/Bawaslu meninjaunya.")
    recorded = _("Tercatat TPS %(code)s titik %(checkpoint)s: %(voters)s pemilih (versi %(version)s).") % {
        "code": result.tps_code,
        "checkpoint": result.checkpoint,
        "voters": number(result.voters),
        "version": result.version,
    }
    return SmsReply(recorded + warning, ok=True)


def _client_id(message: SmsMessage) -> str | None:
    return f"sms:{message.message_id}" if message.message_id else None


HANDLERS = {"TPS": handle_tps}
EXAMPLES = {"TPS": "TPS 64.02.06.1001.001 11 145"}
