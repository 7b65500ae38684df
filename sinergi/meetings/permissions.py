from sinergi.accounts.access import Policy
from sinergi.accounts.roles import ALL_ROLES, Role

# Everyone with a role in the area reads meetings and their actions; organisers write meetings.
# Members of a responsible agency may also update that agency's action items (see selectors).
MEETINGS = Policy(
    name="meeting",
    read=ALL_ROLES,
    write=frozenset({Role.COORDINATOR, Role.LEADER, Role.ADMIN}),
)
