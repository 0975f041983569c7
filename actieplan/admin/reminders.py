"""Wagtail admin: reminders."""
