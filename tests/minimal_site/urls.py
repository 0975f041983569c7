from django.contrib.auth import views as auth_views
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("actieplan/", include("actieplan.urls")),  # the one include of the action plan
    path("", include(wagtail_urls)),  # good_practices are Wagtail pages: served by Wagtail's own URLs
]
