from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.auth import require_admin_access
from wagtail.documents import urls as wagtaildocs_urls

from actieplan.partnerships.audit import ScopedLogEntriesView
from lobplatform.health import PlatformHealthView, WebHealthView
from lobplatform.home import views as home_views
from lobplatform.security import SitePasswordResetView, ThrottledPasswordResetView

urlpatterns = [
    # Wagtail's site history, scoped to the user's partnerships (before Wagtail's own route for it).
    path("admin/reports/site-history/", require_admin_access(ScopedLogEntriesView.as_view())),
    path("admin/reports/site-history/results/", require_admin_access(ScopedLogEntriesView.as_view(results_only=True))),
    # Wagtail's password reset, throttled per address and per client (lobplatform/security.py).
    path("admin/password_reset/", ThrottledPasswordResetView.as_view(), name="wagtailadmin_password_reset"),
    path("admin/", include(wagtailadmin_urls)),
    path("documenten/", include(wagtaildocs_urls)),
    path("inloggen/", auth_views.LoginView.as_view(), name="login"),
    path("uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
    # "Wachtwoord vergeten?" on the login page: the same throttle as the admin's reset.
    path("wachtwoord-vergeten/", SitePasswordResetView.as_view(), name="password_reset"),
    path("wachtwoord-vergeten/verstuurd/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("wachtwoord-herstellen/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("wachtwoord-herstellen/klaar/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("zoeken/", home_views.search, name="search"),
    path("actieplan/", include("actieplan.urls")),
    path("health/", PlatformHealthView.as_view(), name="health"),
    path("health/web/", WebHealthView.as_view(), name="health_web"),
    # Browsers ask for /favicon.ico whatever the page says; send them to the static icon.
    path("favicon.ico", home_views.favicon),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]
