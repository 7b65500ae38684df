from sinergi.accounts.access import Policy
from sinergi.accounts.roles import ALL_ROLES, Role

# Everyone with a role reads the reports of their area; everyone who works in the field or
# triages may file one. Who may triage is declared per transition in `triage.TRANSITIONS`.
INCIDENTS = Policy(
    name="laporan",
    read=ALL_ROLES,
    write=ALL_ROLES - {Role.OBSERVER, Role.FINANCE, Role.INSPECTOR, Role.LEADER},
)
