"""The action plan's front-end URLs (namespace ``actieplan``), one list per capability."""

from django.urls import path

from actieplan import accounts
from actieplan.actions import exchange_views, views as action_views
from actieplan.following import views as following_views
from actieplan.meetings import calendar, views as meeting_views
from actieplan.operations import views as operations_views
from actieplan.partnerships import sharing as partnership_sharing
from actieplan.progress import views as progress_views
from actieplan.reflection import participant_views, views as reflection_views
from actieplan.reminders import views as reminder_views
from actieplan.search import views as search_views

app_name = "actieplan"

urlpatterns = [
    # The apps' own login page, for sites without one (actieplan/accounts.py).
    path("inloggen/", accounts.LoginView.as_view(), name="login"),
    *action_views.urlpatterns,
    *exchange_views.urlpatterns,
    *calendar.urlpatterns,
    *participant_views.urlpatterns,
    *reflection_views.urlpatterns,
    *reminder_views.urlpatterns,
    *meeting_views.urlpatterns,
    *progress_views.urlpatterns,
    *search_views.urlpatterns,
    *following_views.urlpatterns,
    *operations_views.urlpatterns,
    *partnership_sharing.urlpatterns,
]
