"""reflection views (see actieplan/urls.py)."""

urlpatterns = []
