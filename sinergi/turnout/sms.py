"""SMS keyword TPS: `TPS <tps code> <checkpoint> <voters>`, e.g. `TPS 64.02.06.1001.001 11 145`.

The sender is identified by the phone number on their account; the gateway's message id is the
client id, so a gateway retry is stored once.
"""

from django.utils.translation import gettext

from sinergi.accounts.selectors import user_for_phone
from sinergi.areas.codes import DESA_DEPTH, ancestor_at, normalise_tps_code
from sinergi.core.errors import DomainError
from sinergi.core.models import Channel
from sinergi.core.sms import SmsMessage, SmsReply
from sinergi.turnout.services import ReportInput, report_submit_as
from sinergi.turnout.voting_day import election_for

FORMAT = "TPS <kode TPS> <titik: 09/11/13/final> <jumlah pemilih>"


def handle_tps(message: SmsMessage) -> SmsReply:
    if len(message.words) != 3:
        return SmsReply(f"Format salah. Kirim: {FORMAT}", ok=False)
    raw_code, checkpoint, raw_voters = message.words
    code = normalise_tps_code(raw_code)
    if code is None:
        return SmsReply(f"Kode TPS '{raw_code}' tidak dikenal. Kirim: {FORMAT}", ok=False)
    # ASCII digits only: `isdigit` also accepts superscripts, which `int` refuses (a 500), and a count
    # has at most a few digits (`int` refuses thousands of them).
    if not (raw_voters.isascii() and raw_voters.isdigit() and len(raw_voters) <= 6):
        return SmsReply(f"Jumlah pemilih '{raw_voters}' harus angka. Kirim: {FORMAT}", ok=False)
    user = user_for_phone(message.sender)
    if user is None:
        return SmsReply("Nomor Anda tidak terdaftar di Sinergi. Hubungi operator KPU.", ok=False)
    item = ReportInput(
        tps_code=code, checkpoint=checkpoint.lower(), voters=int(raw_voters), client_id=_client_id(message)
    )
    try:
        election = election_for(ancestor_at(code, DESA_DEPTH))
        [result] = report_submit_as(user=user, election=election, items=[item], channel=Channel.SMS)
    except DomainError as exc:
        return SmsReply(f"Ditolak: {exc.detail}", ok=False)
    warning = f" Perlu diperiksa: {result.flags[0]['message']}." if result.flags else ""
    if result.held:
        warning += " " + gettext("Ditahan: tidak dihitung sampai pengawas KPU/Bawaslu meninjaunya.")
    return SmsReply(
        f"Tercatat TPS {result.tps_code} titik {result.checkpoint}: {result.voters} pemilih (versi {result.version}).{warning}",
        ok=True,
    )


def _client_id(message: SmsMessage) -> str | None:
    return f"sms:{message.message_id}" if message.message_id else None


HANDLERS = {"TPS": handle_tps}
EXAMPLES = {"TPS": "TPS 64.02.06.1001.001 11 145"}
