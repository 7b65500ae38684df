from sinergi.accounts.access import Policy
from sinergi.accounts.roles import ALL_ROLES, Role

# Polri and TNI planners write plans in their jurisdiction; everyone else with a role reads the
# plans covering their area (Pemkab, KPU, Bawaslu, observers); only Polri planners approve.
DEPLOYMENT = Policy(
    name="rencana pengamanan",
    read=ALL_ROLES,
    write=frozenset({Role.POLICE_PLANNER, Role.MILITARY_PLANNER}),
)
APPROVAL = Policy(name="persetujuan rencana", read=ALL_ROLES, write=frozenset({Role.POLICE_PLANNER}))
