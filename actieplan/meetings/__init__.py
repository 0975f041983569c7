"""Meetings (overleg): the agenda that writes itself from the plan, minutes, decisions that become
actions, check-ins, their mails, pages, admin and demo. Builds on reminders, reflection and actions.
"""
