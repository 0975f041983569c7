from actieplan.actions import views as actions, calendar, exchange_views as exchange
from actieplan.meetings import views as meetings
from actieplan.reflection import participant_views as participant, views as reflection
from actieplan.reminders import views as preferences
from actieplan.progress import views as progress

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
