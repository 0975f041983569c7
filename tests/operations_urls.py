"""The site's URLs plus one view that fails, to see what an operator finds in the log after a server error."""

from django.urls import include, path


def broken(request):
    raise RuntimeError("kapot in de test")


urlpatterns = [path("kapot/", broken), path("", include("lobplatform.urls"))]
