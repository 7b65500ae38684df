from sinergi.accounts.access import Policy
from sinergi.accounts.roles import ALL_ROLES, Role

# Everyone with a role in an area reads its situation room and daily reports; organisers
# (koordinator, pimpinan, admin) may generate a report on demand.
SITUATION = Policy(
    name="situation",
    read=ALL_ROLES,
    write=frozenset({Role.COORDINATOR, Role.LEADER, Role.ADMIN}),
)
