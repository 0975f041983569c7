"""calendar views (see actieplan/urls.py)."""

urlpatterns = []
