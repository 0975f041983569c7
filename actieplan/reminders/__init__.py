"""The reminder log, the scan that decides what is due, the Celery tasks, the mails, the notifications
of changes, the preference pages and the admin log. Builds on actions.
"""
