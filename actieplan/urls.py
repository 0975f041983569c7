from .views import actions, calendar, exchange, meetings, participant, preferences, progress, reflection

app_name = "actieplan"

urlpatterns = [
    *actions.urlpatterns,
    *exchange.urlpatterns,
    *calendar.urlpatterns,
    *participant.urlpatterns,
    *reflection.urlpatterns,
    *preferences.urlpatterns,
    *meetings.urlpatterns,
    *progress.urlpatterns,
]
