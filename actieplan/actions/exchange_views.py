"""Export the action plan (CSV/XLSX) and import actions from a file: upload → preview → confirm.

The preview carries the parsed rows to the confirm step in a signed form field, and the confirm step
validates them again before anything is saved, in one transaction.
"""

import hashlib
import secrets

from django import forms
from django.contrib import messages
from django.core import signing
from django.db import IntegrityError, transaction
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from actieplan.accounts import login_required
from actieplan.actions import queries, exchange
from actieplan.actions.models import ImportReceipt
from actieplan.partnerships.models import Partnership
from actieplan.partnerships.permissions import can_manage_partnership, manageable_partnerships
from actieplan.overrides import template_names
from actieplan.spreadsheets import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE, DutchCsv

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
SIGNING_SALT = "actieplan.import"




def _filtered_actions(request):
    """The actions the user can see, narrowed with the same query string as the action list."""
    return queries.filtered(request)[1].order_by("deadline", "pk")


@login_required
def export_plan(request, fmt):
    actions = _filtered_actions(request)
    stamp = timezone.localdate().strftime("%Y-%m-%d")
    if fmt == "xlsx":
        response = HttpResponse(exchange.export_xlsx(actions), content_type=XLSX_CONTENT_TYPE)
    else:
        response = HttpResponse(exchange.export_csv(actions), content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="actieplan-{stamp}.{fmt}"'
    return response


class ImportUploadForm(forms.Form):
    partnership = forms.ModelChoiceField(
        label=_("Partnership"), queryset=Partnership.objects.none(),
        help_text=_("The actions will be added to this partnership."),
    )
    file = forms.FileField(
        label=_("File (CSV or Excel)"),
        help_text=_("Use the columns of an export. Required: Title, Theme, Owner, Mandate level, Deadline."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv,"
                                               "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        partnerships = manageable_partnerships(user)
        self.fields["partnership"].queryset = partnerships
        if len(partnerships[:2]) == 1:  # one choice: make it, no empty option to trip over
            self.fields["partnership"].empty_label = None
        for name, form_field in self.fields.items():
            form_field.widget.attrs["aria-describedby"] = f"id_{name}-help"
        self.fields["partnership"].error_messages["invalid_choice"] = _(
            "You are not allowed to import actions for this partnership.")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(_("The file is larger than 5 MB; split it up."))
        return upload


def _sign(partnership, rows):
    # The nonce makes every preview its own token; ImportReceipt makes each token importable once.
    return signing.dumps({"partnership": partnership.pk, "rows": rows, "nonce": secrets.token_hex(8)},
                         salt=SIGNING_SALT, compress=True)


class _NothingImported(Exception):
    def __init__(self, results):
        self.results = results


def _unsign(token):
    return signing.loads(token, salt=SIGNING_SALT, max_age=60 * 60 * 6)


@login_required
def import_plan(request):
    """Step 1 (GET/POST file) shows the upload form or the preview; step 2 (POST confirm) saves."""
    if not manageable_partnerships(request.user).exists():
        raise PermissionDenied
    if request.method == "POST" and "confirm" in request.POST:
        return _confirm(request)

    form = ImportUploadForm(request.POST or None, request.FILES or None, user=request.user)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        partnership = form.cleaned_data["partnership"]
        upload = form.cleaned_data["file"]
        try:
            header, raw_rows = exchange.read_table(upload.name, upload.read())
            rows = exchange.rows_as_dicts(header, raw_rows)
        except exchange.FileError as exc:
            form.add_error("file", str(exc))
        else:
            if not rows:
                form.add_error("file", _("The file contains only column names and no actions."))
            else:
                return _preview(request, partnership, rows)
    return TemplateResponse(request, template_names("actieplan/actions/exchange_import.html"), context,
                            status=400 if form.is_bound else 200)


def _preview(request, partnership, rows, results=None, status=200):
    results = results if results is not None else exchange.validate_rows(rows, partnership)
    invalid = [r for r in results if not r.ok]
    exchange.mark_duplicates(results, partnership)
    for result in results:
        result.cells = [result.data.get(column.key, "") for column in exchange.COLUMNS]
    duplicates = [r for r in results if r.duplicate_of is not None or r.same_as_row is not None]
    context = {
        "partnership": partnership,
        "results": results,
        "invalid_count": len(invalid),
        "valid": not invalid,
        "token": _sign(partnership, rows) if not invalid else "",
        "columns": exchange.COLUMNS,
        # The same file a second time: a warning that names the rows already in the plan.
        "duplicates": duplicates,
        "new_count": len(results) - len(duplicates),
        "earlier_import": (ImportReceipt.objects.filter(partnership=partnership, rows_digest=exchange.rows_digest(rows))
                           .select_related("user").order_by("-created_at").first()),
    }
    return TemplateResponse(request, template_names("actieplan/actions/exchange_preview.html"), context, status=status)


def _confirm(request):
    try:
        payload = _unsign(request.POST.get("token", ""))
    except signing.BadSignature:
        messages.error(request, _("The preview has expired or is invalid. Upload the file again."))
        return redirect("actieplan:action_import")
    partnership = Partnership.objects.filter(pk=payload["partnership"]).first()
    if partnership is None or not can_manage_partnership(request.user, partnership.pk):
        raise PermissionDenied
    rows = payload["rows"]
    digest = hashlib.sha256(request.POST["token"].encode()).hexdigest()
    created, results = [], None
    try:
        with transaction.atomic():
            # The unique receipt first: a second confirm of the same preview waits here for the first,
            # then fails, so the rows are never imported twice (also with two clicks at once).
            ImportReceipt.objects.create(token_digest=digest, partnership=partnership, user=request.user,
                                         rows_digest=exchange.rows_digest(rows))
            created, results = exchange.import_rows(rows, partnership, request.user,
                                                    skip_duplicates=bool(request.POST.get("skip_duplicates")))
            if not created:
                raise _NothingImported(results)
            ImportReceipt.objects.filter(token_digest=digest).update(action_count=len(created))
    except IntegrityError:
        messages.info(request, _("This import has already been processed; the actions are in the list. "
                                 "Nothing has been saved twice."))
        return redirect("actieplan:action_list")
    except _NothingImported as nothing:
        results = nothing.results
        if results and all(r.ok for r in results):
            messages.info(request, _("All rows were already in the action plan; nothing has been saved twice."))
            return redirect("actieplan:action_list")
    except ValidationError:
        # Something changed between preview and confirm (e.g. a member left): show the rows again.
        created, results = [], exchange.validate_rows(rows, partnership)
    if not created:
        messages.error(request, _("Nothing has been saved: the file is not (or no longer) entirely in order."))
        return _preview(request, partnership, rows, results, status=400)
    messages.success(request, ngettext(
        "%(count)d action imported into %(partnership)s.",
        "%(count)d actions imported into %(partnership)s.", len(created),
    ) % {"count": len(created), "partnership": partnership})
    return redirect("actieplan:action_list")


@login_required
def import_template(request):
    """An empty CSV with the right column names, to start from."""
    response = HttpResponse(DutchCsv(exchange.headers()).content(), content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="actieplan-sjabloon.csv"'
    return response


urlpatterns = [
    path("export.csv", export_plan, {"fmt": "csv"}, name="action_export_csv"),
    path("export.xlsx", export_plan, {"fmt": "xlsx"}, name="action_export_xlsx"),
    path("importeren/", import_plan, name="action_import"),
    path("importeren/sjabloon.csv", import_template, name="action_import_template"),
]

