"""The groups the platform works with, set up on request, never by installing or migrating the apps.

``manage.py lob_setup_groups`` (or the reference site's own migration) creates them:

- **Werkgroep** and **Bestuurders**: the admin rights of working-group members and board members; which actions,
  sessions and meetings they see is decided by their membership (``permissions.py``), not by the group;
- **Platformbeheerders**: the platform operators (see ``permissions.can_operate_platform``), with no model
  permission: they create and archive partnerships and see activity figures, never content;
- **Redacteuren**: the library's vocabularies, the reflectietool's wording and manual, images and documents; page
  rights only on the pages the site names (``--editor-page``), because rights on the root page would let them
  change the whole host site. They add and edit pages and submit them for moderation; they do not publish
  (Wagtail's workflow, e.g. "Goedkeuring door moderatoren": the Moderatoren approve and publish).

Idempotent: running it again adds what is missing and takes nothing away.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions

#: group name: model permissions (app_label.codename).
GROUPS = {
    "Redacteuren": [
        "wagtailadmin.access_admin",
        "wagtailimages.add_image", "wagtailimages.change_image", "wagtailimages.choose_image",
        "wagtaildocs.add_document", "wagtaildocs.change_document", "wagtaildocs.choose_document",
        "actieplan.view_reflectiontheme", "actieplan.change_reflectiontheme",
        "actieplan.view_reflectionquestion", "actieplan.change_reflectionquestion",
        "actieplan.view_region", "actieplan.add_region", "actieplan.change_region",
        "actieplan.view_organisation",
        "actieplan.change_reflectiontoolsettings",
        *[f"good_practices.{action}_{model}" for model in (
            "delenwaardtheme", "transition", "schooltype", "loopbaancompetentie", "targetgroup", "cioslevel")
          for action in ("view", "add", "change")],
    ],
    "Werkgroep": [
        "wagtailadmin.access_admin",
        "actieplan.view_action", "actieplan.add_action", "actieplan.change_action",
        "actieplan.view_actionupdate", "actieplan.add_actionupdate",
        "actieplan.view_reflectionsession", "actieplan.add_reflectionsession", "actieplan.change_reflectionsession",
        "actieplan.view_organisation", "actieplan.view_partnership", "actieplan.view_membership",
        "actieplan.view_reflectiontheme", "actieplan.view_reflectionquestion",
        "actieplan.view_meeting", "actieplan.add_meeting", "actieplan.change_meeting",
        "actieplan.view_agendaitem", "actieplan.view_decision",
        "actieplan.view_meetingseries", "actieplan.add_meetingseries", "actieplan.change_meetingseries",
        "actieplan.view_attendance", "actieplan.view_minutesaddendum",
    ],
    # Platform operators get no model permission at all: the admin shows them nothing of any partnership. What
    # they do (create, archive, the activity overview) is on the pages of ``actieplan.operations``, which ask
    # ``permissions.can_operate_platform``.
    "Platformbeheerders": [],
    "Bestuurders": [
        "actieplan.view_action", "actieplan.view_actionupdate", "actieplan.view_reflectionsession",
        "actieplan.view_meeting", "actieplan.view_agendaitem", "actieplan.view_decision",
        "actieplan.view_meetingseries", "actieplan.view_attendance", "actieplan.view_minutesaddendum",
    ],
}
EDITOR_GROUP = "Redacteuren"
#: No publish_page: editors submit to the moderators (actieplan 0023 withdrew it where 0002 had given it).
EDITOR_PAGE_PERMISSIONS = ["add_page", "change_page", "view_page"]
EDITOR_COLLECTION_PERMISSIONS = [
    "wagtailimages.add_image", "wagtailimages.change_image", "wagtailimages.choose_image",
    "wagtaildocs.add_document", "wagtaildocs.change_document", "wagtaildocs.choose_document",
]


def _permission(Permission, dotted):
    app_label, codename = dotted.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def set_up_groups(apps=global_apps, editor_pages=()):
    """Create the three groups with their model permissions, the editors' rights on the root collection, and
    their page rights on ``editor_pages`` (page ids) and below. ``apps`` is a migration's app registry when a
    site's migration calls it. Returns the names of the groups that were created."""
    # In a migration the permissions of apps migrated in the same run do not exist yet.
    for app_config in apps.get_app_configs():
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = models_module or True  # a migration's app stubs have none
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = models_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    created = []
    for name, permissions in GROUPS.items():
        group, was_created = Group.objects.get_or_create(name=name)
        if was_created:
            created.append(name)
        group.permissions.add(*[_permission(Permission, dotted) for dotted in permissions])
    editors = Group.objects.get(name=EDITOR_GROUP)
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    root_collection = Collection.objects.filter(depth=1).first()
    if root_collection:
        for dotted in EDITOR_COLLECTION_PERMISSIONS:
            GroupCollectionPermission.objects.get_or_create(
                group=editors, collection=root_collection, permission=_permission(Permission, dotted))
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    Page = apps.get_model("wagtailcore", "Page")
    for page in Page.objects.filter(pk__in=list(editor_pages)):
        for codename in EDITOR_PAGE_PERMISSIONS:
            GroupPagePermission.objects.get_or_create(
                group=editors, page=page, permission=_permission(Permission, f"wagtailcore.{codename}"))
    return created
