"""exchange views (see actieplan/urls.py)."""

urlpatterns = []
