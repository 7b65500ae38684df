from sinergi.accounts.access import Policy
from sinergi.accounts.roles import Role

# Bawaslu and the field roles (PKD, Pengawas TPS, Panwascam, Bhabinkamtibmas) fill checklists;
# Pemkab leadership, KPU, Polri, TNI and observers read. Finance and inspectorate have no business here.
READERS = frozenset(
    {
        Role.LEADER,
        Role.COORDINATOR,
        Role.KPU_OPERATOR,
        Role.POLICE_PLANNER,
        Role.MILITARY_PLANNER,
        Role.OBSERVER,
    }
)
RISK = Policy(name="risk", read=READERS, write=frozenset({Role.BAWASLU_ANALYST, Role.FIELD_OFFICER}))
# Opening and closing rounds is Bawaslu's job, not the field officer's.
ROUNDS = Policy(name="assessment round", read=READERS | {Role.FIELD_OFFICER}, write=frozenset({Role.BAWASLU_ANALYST}))
# The security class is the police's planning input: the planner and Bawaslu may override it.
SECURITY = Policy(
    name="security class",
    read=READERS | {Role.FIELD_OFFICER},
    write=frozenset({Role.BAWASLU_ANALYST, Role.POLICE_PLANNER}),
)
