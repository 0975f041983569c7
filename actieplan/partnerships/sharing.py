"""What a partnership shares with other regions, set by its procesbewaker: taking part in the regional benchmark
of the reflection scores, and sharing the experiences (closing notes) of actions linked to a good practice, with or
without its name. The page explains each choice in plain Dutch beside its switch; the working group and the board
read the choices, only the procesbewaker (or a platform admin) changes them. Every change is in the audit log.
"""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _, gettext_lazy
from wagtail.log_actions import log as audit_log

from actieplan.accounts import login_required
from actieplan.overrides import template_names
from actieplan.partnerships.models import Membership, Partnership, Role
from actieplan.partnerships.permissions import READER_ROLES, can_set_sharing, is_platform_admin, partnership_ids

FIELDS = ("benchmark_opt_in", "share_experiences", "experiences_named", "province")


class SharingForm(forms.ModelForm):
    class Meta:
        model = Partnership
        fields = FIELDS
        labels = {
            "benchmark_opt_in": gettext_lazy("Ja, wij doen mee aan de vergelijking met andere regio's"),
            "share_experiences": gettext_lazy("Ja, deel onze ervaringen bij de good practices"),
            "experiences_named": gettext_lazy("Noem daarbij onze naam (en de titel van de actie)"),
            "province": gettext_lazy("Provincie"),
        }
        help_texts = {name: "" for name in FIELDS}

    def clean(self):
        data = super().clean()
        if data.get("share_experiences") and not data.get("experiences_named") and not data.get("province"):
            self.add_error("province", _("Kies de provincie: zonder naam staat bij een gedeelde ervaring "
                                         "\"een samenwerkingsverband in <provincie>\"."))
        return data


def _readable(request, pk):
    """The partnership, for its readers (working group, board) and platform admins; 404 for everyone else."""
    if not (is_platform_admin(request.user) or pk in partnership_ids(request.user, READER_ROLES)):
        raise Http404
    return get_object_or_404(Partnership, pk=pk)


@login_required
def sharing(request, pk):
    partnership = _readable(request, pk)
    may_change = can_set_sharing(request.user, partnership.pk)
    if request.method == "POST":
        if not may_change:
            messages.error(request, _("Alleen de procesbewaker van %(name)s kan dit wijzigen; er is niets veranderd.")
                           % {"name": partnership.name})
            return redirect("actieplan:partnership_sharing", pk=partnership.pk)
        form = SharingForm(request.POST, instance=partnership)
        if form.is_valid():
            changed = {name: form.cleaned_data[name] for name in form.changed_data}
            updated = form.save(commit=False)
            if "benchmark_opt_in" in changed and updated.benchmark_opt_in:
                # Counts from the next weekly snapshot on (reflection/benchmark.py), not in one made before.
                updated.benchmark_opt_in_at = timezone.now()
            updated.save()
            if changed:
                audit_log(instance=partnership, action="wagtail.edit", user=request.user,
                          data={"delen": changed})
            messages.success(request, _("De keuzes over delen zijn opgeslagen."))
            return redirect("actieplan:partnership_sharing", pk=partnership.pk)
    else:
        form = SharingForm(instance=partnership)
    if not may_change:
        for field in form.fields.values():
            field.disabled = True
    procesbewakers = (Membership.objects.filter(partnership=partnership, role=Role.PROCESBEWAKER,
                                                user__is_active=True).select_related("user"))
    return TemplateResponse(request, template_names("actieplan/partnerships/sharing.html"), {
        "partnership": partnership, "form": form, "may_change": may_change,
        "procesbewakers": [m.user for m in procesbewakers],
    })


urlpatterns = [
    path("samenwerkingsverband/<int:pk>/delen/", sharing, name="partnership_sharing"),
]
