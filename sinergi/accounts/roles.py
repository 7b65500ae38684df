"""Roles and agency kinds. Each module states in its `permissions.py` which roles read and write."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator nasional")
    LEADER = "pimpinan", _("Pimpinan daerah (Bupati/Sekda)")
    COORDINATOR = "koordinator", _("Koordinator Kesbangpol")
    FINANCE = "keuangan", _("Pengelola keuangan daerah")
    INSPECTOR = "inspektur", _("Inspektorat")
    KPU_OPERATOR = "operator_kpu", _("Operator KPU (KPU, PPK, PPS, KPPS)")
    BAWASLU_ANALYST = "analis_bawaslu", _("Analis Bawaslu (Bawaslu, Panwascam)")
    FIELD_OFFICER = "petugas_lapangan", _("Petugas lapangan (PKD, Pengawas TPS, camat, lurah, kades)")
    POLICE_PLANNER = "perencana_polri", _("Perencana Polri (Kabag Ops, Kapolsek)")
    MILITARY_PLANNER = "perencana_tni", _("Perencana TNI (Kodim, Koramil)")
    OBSERVER = "pemantau", _("Pemantau (hanya baca)")


ALL_ROLES = frozenset(Role.values)


class Sector(models.TextChoices):
    PEMDA = "pemda", _("Pemerintah daerah")
    KPU = "kpu", _("KPU")
    BAWASLU = "bawaslu", _("Bawaslu")
    POLRI = "polri", _("Polri")
    TNI = "tni", _("TNI")


class AgencyKind(models.TextChoices):
    REGIONAL_HEAD_OFFICE = "pemda", _("Pemerintah daerah (Bupati/Sekda)")
    KESBANGPOL = "kesbangpol", _("Kesbangpol")
    DISTRICT_OFFICE = "kantor_camat", _("Kantor kecamatan")
    VILLAGE_OFFICE = "kantor_desa", _("Kantor desa/kelurahan")
    SATLINMAS = "satlinmas", _("Satlinmas")
    KPU = "kpu", _("KPU")
    PPK = "ppk", _("PPK")
    PPS = "pps", _("PPS")
    KPPS = "kpps", _("KPPS")
    BAWASLU = "bawaslu", _("Bawaslu")
    PANWASCAM = "panwascam", _("Panwascam")
    PKD = "pkd", _("PKD")
    TPS_SUPERVISOR = "pengawas_tps", _("Pengawas TPS")
    POLDA = "polda", _("Polda")
    POLRES = "polres", _("Polres")
    POLSEK = "polsek", _("Polsek")
    KODIM = "kodim", _("Kodim")
    KORAMIL = "koramil", _("Koramil")


SECTOR_OF_KIND = {
    **dict.fromkeys(["pemda", "kesbangpol", "kantor_camat", "kantor_desa", "satlinmas"], Sector.PEMDA),
    **dict.fromkeys(["kpu", "ppk", "pps", "kpps"], Sector.KPU),
    **dict.fromkeys(["bawaslu", "panwascam", "pkd", "pengawas_tps"], Sector.BAWASLU),
    **dict.fromkeys(["polda", "polres", "polsek"], Sector.POLRI),
    **dict.fromkeys(["kodim", "koramil"], Sector.TNI),
}
