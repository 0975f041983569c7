from .views import actions, calendar, exchange, meetings, preferences, progress, reflection

app_name = "actieplan"

urlpatterns = [
    *actions.urlpatterns,
    *exchange.urlpatterns,
    *calendar.urlpatterns,
    *reflection.urlpatterns,
    *preferences.urlpatterns,
    *meetings.urlpatterns,
    *progress.urlpatterns,
]
