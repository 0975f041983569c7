"""Template names a site may override, the names from before the apps were laid out by capability included.

The apps ship each page and mail template under ``actieplan/<capability>/…``. A site that overrode one under its
earlier name (``actieplan/action_list.html``) keeps its version: every page and mail asks for the earlier name
first, which only a site's own template can answer, then for the shipped one. Includes moved without an alias
(see CHANGELOG.md).
"""

#: Shipped name -> the name it had before 0.2.
EARLIER_NAMES = {
    "actieplan/actions/board.html": "actieplan/action_board.html",
    "actieplan/meetings/calendar_settings.html": "actieplan/calendar_settings.html",
    "actieplan/actions/detail.html": "actieplan/action_detail.html",
    "actieplan/actions/exchange_import.html": "actieplan/exchange_import.html",
    "actieplan/actions/exchange_preview.html": "actieplan/exchange_preview.html",
    "actieplan/actions/form.html": "actieplan/action_form.html",
    "actieplan/actions/list.html": "actieplan/action_list.html",
    "actieplan/meetings/checkin.html": "actieplan/meeting_checkin.html",
    "actieplan/meetings/detail.html": "actieplan/meeting_detail.html",
    "actieplan/meetings/email/checkin.html": "actieplan/email/checkin.html",
    "actieplan/meetings/email/checkin.txt": "actieplan/email/checkin.txt",
    "actieplan/meetings/email/minutes.html": "actieplan/email/minutes.html",
    "actieplan/meetings/email/minutes.txt": "actieplan/email/minutes.txt",
    "actieplan/meetings/field.html": "actieplan/meeting_field.html",
    "actieplan/meetings/figures.html": "actieplan/meeting_figures.html",
    "actieplan/meetings/form.html": "actieplan/meeting_form.html",
    "actieplan/meetings/item.html": "actieplan/meeting_item.html",
    "actieplan/meetings/list.html": "actieplan/meeting_list.html",
    "actieplan/meetings/minutes.html": "actieplan/meeting_minutes.html",
    "actieplan/meetings/minutes_body.html": "actieplan/meeting_minutes_body.html",
    "actieplan/meetings/minutes_pdf.html": "actieplan/meeting_minutes_pdf.html",
    "actieplan/meetings/plan.html": "actieplan/meeting_plan.html",
    "actieplan/progress/page.html": "actieplan/progress_page.html",
    "actieplan/progress/pdf.html": "actieplan/progress_pdf.html",
    "actieplan/reflection/answer.html": "actieplan/reflection_answer.html",
    "actieplan/reflection/close.html": "actieplan/reflection_close.html",
    "actieplan/reflection/detail.html": "actieplan/reflection_detail.html",
    "actieplan/reflection/form.html": "actieplan/reflection_form.html",
    "actieplan/reflection/gaps.html": "actieplan/reflection_gaps.html",
    "actieplan/reflection/list.html": "actieplan/reflection_list.html",
    "actieplan/reflection/over_time.html": "actieplan/reflection_over_time.html",
    "actieplan/reflection/print.html": "actieplan/reflection_print.html",
    "actieplan/reflection/project.html": "actieplan/reflection_project.html",
    "actieplan/reflection/radar.html": "actieplan/reflection_radar.html",
    "actieplan/reflection/results.html": "actieplan/reflection_results.html",
    "actieplan/reflection/step.html": "actieplan/reflection_step.html",
    "actieplan/reflection/tables.html": "actieplan/reflection_tables.html",
    "actieplan/reflection/thanks.html": "actieplan/reflection_thanks.html",
    "actieplan/reflection/unknown.html": "actieplan/reflection_unknown.html",
    "actieplan/reminders/digest_unsubscribe.html": "actieplan/digest_unsubscribe.html",
    "actieplan/reminders/email/action.html": "actieplan/email/action.html",
    "actieplan/reminders/email/action.txt": "actieplan/email/action.txt",
    "actieplan/reminders/email/digest.html": "actieplan/email/digest.html",
    "actieplan/reminders/email/digest.txt": "actieplan/email/digest.txt",
    "actieplan/reminders/preferences.html": "actieplan/reminder_preferences.html",
    "actieplan/reminders/update.html": "actieplan/reminder_update.html",
}


def template_names(name):
    """The names to look up for ``name``: a site's override under the earlier name first, then ``name``."""
    earlier = EARLIER_NAMES.get(name)
    return [earlier, name] if earlier else [name]
