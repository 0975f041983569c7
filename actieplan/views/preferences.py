"""preferences views (see actieplan/urls.py)."""

urlpatterns = []
