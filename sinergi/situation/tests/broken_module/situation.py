"""A module whose situation.py cannot be imported (the room must leave it out)."""

raise ImportError("syntax error in situation.py")
