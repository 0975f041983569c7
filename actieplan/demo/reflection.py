"""Demo content: reflection."""


def load(stdout=None):
    """Filled in by the issue that builds this part."""
