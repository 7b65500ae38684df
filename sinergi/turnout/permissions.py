from sinergi.accounts.access import Policy
from sinergi.accounts.roles import ALL_ROLES, Role

# KPU (KPU kabupaten, PPK, PPS, KPPS accounts) report and correct turnout within their area.
REPORTS = Policy(name="turnout", read=ALL_ROLES, write=frozenset({Role.KPU_OPERATOR}))
# Supervisors clear flags: KPU above the TPS, and the Kesbangpol coordinator who runs the monitoring room.
# Correcting the numbers themselves stays with KPU (REPORTS write).
REVIEW = Policy(name="turnout review", read=ALL_ROLES, write=frozenset({Role.KPU_OPERATOR, Role.COORDINATOR}))
# Sosialisasi is run by KPU, Kesbangpol and the camat/lurah/kades.
OUTREACH = Policy(
    name="outreach",
    read=ALL_ROLES,
    write=frozenset({Role.KPU_OPERATOR, Role.COORDINATOR, Role.FIELD_OFFICER}),
)
