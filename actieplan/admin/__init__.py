"""Wagtail admin pieces of the action plan, one module per capability, registered by wagtail_hooks.py."""
