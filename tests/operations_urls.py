"""The site's URLs plus views that fail, to see what an operator (and a visitor) gets after a server error."""

from django.db import OperationalError
from django.urls import include, path


def broken(request):
    raise RuntimeError("kapot in de test")


def database_away(request):
    raise OperationalError("terminating connection due to administrator command")  # what a restart raises


urlpatterns = [path("kapot/", broken), path("database-weg/", database_away), path("", include("lobplatform.urls"))]
