"""Demo content: Het delen waard (003, 004) and the leerlabs as proeftuinen (002)."""


def load(stdout=None):
    """Filled in with the good-practice library."""
