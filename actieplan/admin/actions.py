"""Wagtail admin: actions."""
