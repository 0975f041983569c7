"""Requests too large to be honest get a Dutch 400 page before any view parses them.

A query string of hundreds of kilobytes or thousands of parameters is never a filter a person
clicked; parsing it costs a worker time, and some code paths turned Django's ``TooManyFieldsSent``
into a server error. The limits are settings (``LOB_MAX_QUERY_STRING``, ``LOB_MAX_QUERY_FIELDS``).
Oversized bodies (``RequestDataTooBig``, ``TooManyFieldsSent`` on POST) are Django's own 400s and
render the same ``400.html``.
"""

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import QueryDict
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
