"""Wagtail finds the action plan's admin here: each capability's admin module registers its own viewsets,
permission policies, panels, reports, audit scopes and delete holders when it is imported.

The apps' own top-level menus (action plan, meetings, reflectietool, reminder log, the library's vocabularies)
fold under one entry, ``LOB_ADMIN_MENU_LABEL`` ("LOB-platform" unless the site names it), so a host's admin gains
one menu instead of five."""

from wagtail import hooks
from wagtail.admin.menu import Menu, SubmenuMenuItem

from actieplan.actions import admin as action_admin, services  # noqa: F401  (services: the audit-log actions)
from actieplan.meetings import admin as meeting_admin  # noqa: F401
from actieplan.progress import views as progress_views  # noqa: F401  (the Voortgang page's "no access" page)
from actieplan.partnerships import admin as partnership_admin, safe_delete  # noqa: F401
from actieplan.reflection import admin as reflection_admin  # noqa: F401
from actieplan.conf import app_settings
from actieplan.reminders import admin as reminder_admin  # noqa: F401

#: The ``name`` of each top-level menu item the apps register, folded by :func:`fold_admin_menus`.
FOLDED_MENUS = ("actieplan", "overleg", "overlegreeksen", "reflectietool", "herinneringenlog",
                "indeling-het-delen-waard")
MENU_NAME = "lob-platform"


@hooks.register("construct_main_menu")
def fold_admin_menus(request, menu_items):
    ours = [item for item in menu_items if item.name in FOLDED_MENUS]
    if not ours:
        return
    for item in ours:
        menu_items.remove(item)
    menu_items.append(SubmenuMenuItem(app_settings.LOB_ADMIN_MENU_LABEL, Menu(items=ours), name=MENU_NAME,
                                      icon_name="tasks", order=min(item.order for item in ours)))
