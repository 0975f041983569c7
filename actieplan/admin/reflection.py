"""Wagtail admin: reflection."""
