"""Requests too large to be honest get a Dutch 400 page before any view parses them; a database that is away
gets a Dutch 503 (:class:`DatabaseUnavailableMiddleware`).

A query string of hundreds of kilobytes or thousands of parameters is never a filter a person
clicked; parsing it costs a worker time, and some code paths turned Django's ``TooManyFieldsSent``
into a server error. The limits are settings (``LOB_MAX_QUERY_STRING``, ``LOB_MAX_QUERY_FIELDS``).
Oversized bodies (``RequestDataTooBig``, ``TooManyFieldsSent`` on POST) are Django's own 400s and
render the same ``400.html``.
"""

import logging

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpResponse, QueryDict
from django.template.loader import render_to_string
from django.template.response import TemplateResponse

from actieplan.conf import app_settings


def bad_request(request, reason=""):
    response = TemplateResponse(request, "400.html", {"reason": reason}, status=400)
    return response.render()


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
            QueryDict(query, encoding=request.encoding)
        except (TooManyFieldsSent, RequestDataTooBig, UnicodeDecodeError, ValueError):
            return bad_request(request, "fields")
        return self.get_response(request)


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
