"""The message templates the data migration seeds (Indonesian first, English beside it)."""

TEMPLATES: list[tuple[str, str, str, str]] = [
    # key, description, Indonesian, English
    (
        "activation_link",
        "Tautan aktivasi akun (sekali pakai)",
        "Sinergi: halo {name}, aktifkan akun Anda sebelum {expires}: {link}",
        "Sinergi: hello {name}, activate your account before {expires}: {link}",
    ),
    (
        "otp_code",
        "Kode masuk sekali pakai",
        "Kode masuk Sinergi: {code}. Berlaku {minutes} menit. Jangan berikan kepada siapa pun.",
        "Sinergi login code: {code}. Valid for {minutes} minutes. Do not share it with anyone.",
    ),
    (
        "missing_tps_alert",
        "Peringatan TPS belum melapor",
        "Sinergi: TPS {tps} ({desa}) belum melapor {what} pukul {time}. Mohon segera kirim atau balas pesan ini.",
        "Sinergi: TPS {tps} ({desa}) has not reported {what} at {time}. Please send it now or reply to this message.",
    ),
    (
        "incident_status",
        "Kabar status laporan untuk pelapor",
        "Sinergi: laporan Anda {reference} kini berstatus {status}. {note}",
        "Sinergi: your report {reference} is now {status}. {note}",
    ),
    (
        "action_reminder",
        "Pengingat tindak lanjut rapat",
        'Sinergi: pengingat tindak lanjut "{title}", tenggat {due}.',
        'Sinergi: reminder for action item "{title}", due {due}.',
    ),
    (
        "escalation",
        "Eskalasi ke petugas piket",
        "Sinergi ESKALASI: {title} di {area}. {detail}",
        "Sinergi ESCALATION: {title} in {area}. {detail}",
    ),
    (
        "broadcast",
        "Siaran kepada petugas",
        "Sinergi: {text}",
        "Sinergi: {text}",
    ),
    (
        "test_broadcast",
        "Siaran uji gladi (meminta balasan)",
        "Sinergi GLADI: {text} Balas pesan ini dengan OK {code} untuk konfirmasi.",
        "Sinergi REHEARSAL: {text} Reply to this message with OK {code} to confirm.",
    ),
    (
        "opted_out",
        "Konfirmasi berhenti berlangganan",
        "Sinergi: Anda tidak akan menerima pesan lagi di nomor ini. Kirim MULAI untuk berlangganan kembali.",
        "Sinergi: you will receive no more messages here. Send MULAI to subscribe again.",
    ),
    (
        "opted_in",
        "Konfirmasi berlangganan kembali",
        "Sinergi: Anda kembali menerima pesan di nomor ini. Kirim BERHENTI untuk berhenti.",
        "Sinergi: you will receive messages here again. Send BERHENTI to stop.",
    ),
    (
        "telegram_linked",
        "Konfirmasi Telegram tertaut",
        "Sinergi: Telegram tertaut ke akun {name}. Kirim LAPOR ... untuk melapor.",
        "Sinergi: Telegram linked to the account of {name}. Send LAPOR ... to report.",
    ),
    (
        "reply_thanks",
        "Terima kasih atas balasan",
        "Sinergi: terima kasih, balasan Anda sudah kami terima.",
        "Sinergi: thank you, your reply was received.",
    ),
]


def seed(apps, schema_editor) -> None:
    """Add every template (key, language) that is missing; an edited one is left as it is."""
    model = apps.get_model("messaging", "MessageTemplate")
    for key, description, indonesian, english in TEMPLATES:
        for language, text in (("id", indonesian), ("en", english)):
            model.objects.get_or_create(key=key, language=language, defaults={"text": text, "description": description})


# The name the test suite's reference-data reloader calls after a transactional test's flush.
load = seed
