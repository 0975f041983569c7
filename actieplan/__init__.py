"""The action plan of the LOB-platform: partnerships, reflectietool, actions, reminders, meetings, progress.

The version of the distribution (``lob-actieplan``, which also holds ``good_practices``); see CHANGELOG.md for
the version policy.
"""

__version__ = "0.2.0"
