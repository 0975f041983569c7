"""Demo content: partnership."""


def load(stdout=None):
    """Filled in by the issue that builds this part."""
