"""Requests too large or too strange to be honest get a Dutch 400 page before any view parses them; a database
that is away gets a Dutch 503 (:class:`DatabaseUnavailableMiddleware`).

- A query string of hundreds of kilobytes or thousands of parameters is never a filter a person clicked;
  parsing it costs a worker time, and some code paths turned Django's ``TooManyFieldsSent`` into a server
  error. The limits are settings (``LOB_MAX_QUERY_STRING``, ``LOB_MAX_QUERY_FIELDS``).
- Control characters in the path or the query string, and a NUL in any form field, are never typed by a
  person: PostgreSQL refuses a NUL in every text it stores or compares, which made library filters, the
  participant's join code and the thanks page answer 500. They get the 400 page here. (Other control characters
  in a form field reach the form, whose validators say in Dutch what is wrong.)
- A number in the query string past any database integer (an id, a page number) is never a real one; SQLite
  cannot even compare with it, which made Wagtail's page chooser and paginated listings answer 500.
- Oversized bodies (``RequestDataTooBig``, ``TooManyFieldsSent`` on POST) are Django's own 400s and render the
  same ``400.html``.
"""

import logging
import unicodedata
from urllib.parse import unquote

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpResponse, QueryDict
from django.http.multipartparser import MultiPartParserError
from django.template.loader import render_to_string
from django.template.response import TemplateResponse

from actieplan.conf import app_settings


def bad_request(request, reason=""):
    response = TemplateResponse(request, "400.html", {"reason": reason}, status=400)
    return response.render()


def _control(text):
    return any(unicodedata.category(ch) == "Cc" for ch in text)


def _huge_number(value):
    """A number past any database integer (an id, a page): SQLite cannot even compare with it (OverflowError)."""
    digits = value.strip().lstrip("-+")
    return len(digits) > 18 and digits.isdigit()


def _nul(querydict):
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in querydict.lists())


class RequestLimitsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.META.get("QUERY_STRING", "")
        if len(query) > app_settings.LOB_MAX_QUERY_STRING:
            return bad_request(request, "query-string")
        if query.count("&") + query.count(";") >= app_settings.LOB_MAX_QUERY_FIELDS:
            return bad_request(request, "fields")
        try:
            # Parse once here, within the limits, so every later use of request.GET is safe.
            parsed = QueryDict(query, encoding=request.encoding)
        except (TooManyFieldsSent, RequestDataTooBig, UnicodeDecodeError, ValueError):
            return bad_request(request, "fields")
        if _control(request.path_info) or _control(unquote(request.path_info)) or any(
                _control(key) or any(_control(value) for value in values) for key, values in parsed.lists()):
            return bad_request(request, "characters")
        if any(_huge_number(value) for _key, values in parsed.lists() for value in values):
            return bad_request(request, "number")
        if request.method == "POST":
            problem = self._form_problem(request)
            if problem:
                return bad_request(request, problem)
        return self.get_response(request)

    @staticmethod
    def _form_problem(request):
        content_type = request.META.get("CONTENT_TYPE", "")
        if not content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            return ""
        try:
            return "characters" if _nul(request.POST) else ""
        except (TooManyFieldsSent, RequestDataTooBig, MultiPartParserError, UnicodeDecodeError, ValueError):
            return "fields"  # what Django answers for a body it cannot read (400)


logger = logging.getLogger(__name__)


class DatabaseUnavailableMiddleware:
    """A database that is away (restarting) is a Dutch 503 that says nothing was saved and to try again in a few
    seconds, with ``Retry-After``: not a server error. The page is a plain template that needs no database."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        logger.error("Database niet bereikbaar tijdens %s %s: %s", request.method, request.path, exception)
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = "5"
        return response


class DutchNotFoundMiddleware:
    """With ``DEBUG`` on (the embedded default), a missing page still gets the Dutch 404 page instead of
    Django's English technical page, with the technical reason below it for the developer."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not settings.DEBUG or not isinstance(exception, Http404):
            return None
        response = TemplateResponse(request, "404.html", {"debug_reason": str(exception)}, status=404)
        return response.render()
