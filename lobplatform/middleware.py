"""Requests too large to be honest get a Dutch 400 page before any view parses them.

A query string of hundreds of kilobytes or thousands of parameters is never a filter a person
clicked; parsing it costs a worker time, and some code paths turned Django's ``TooManyFieldsSent``
into a server error. The limits are settings (``LOB_MAX_QUERY_STRING``, ``LOB_MAX_QUERY_FIELDS``).
Oversized bodies (``RequestDataTooBig``, ``TooManyFieldsSent`` on POST) are Django's own 400s and
render the same ``400.html``.
"""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import Http404, QueryDict
from django.template.response import TemplateResponse


def bad_request(request, reason=""):
    response = TemplateResponse(request, "400.html", {"reason": reason}, status=400)
    return response.render()


class RequestLimitsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.META.get("QUERY_STRING", "")
        if len(query) > getattr(settings, "LOB_MAX_QUERY_STRING", 8192):
            return bad_request(request, "query-string")
        if query.count("&") + query.count(";") >= getattr(settings, "LOB_MAX_QUERY_FIELDS", 1000):
            return bad_request(request, "fields")
        try:
            # Parse once here, within the limits, so every later use of request.GET is safe.
            QueryDict(query, encoding=request.encoding)
        except (TooManyFieldsSent, RequestDataTooBig, UnicodeDecodeError, ValueError):
            return bad_request(request, "fields")
        return self.get_response(request)


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
