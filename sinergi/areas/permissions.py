from sinergi.accounts.access import Policy
from sinergi.accounts.roles import ALL_ROLES, Role

# Everyone with a role reads the area tree and TPS list of their area; KPU keeps the TPS list.
AREAS = Policy(name="area", read=ALL_ROLES, write=frozenset({Role.KPU_OPERATOR}))
