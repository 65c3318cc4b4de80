from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import URLPattern, URLResolver, include, path
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from portal import auth, views

api_v1: list[URLPattern | URLResolver] = [
    path("", include("networks.api.urls")),
    path("", include("incidents.api.urls")),
    path("", include("reporting.api.urls")),
    path("", include("portal.api_urls")),
    path("", include("reporting.start.api.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
]

urlpatterns = [
    path("", include("reporting.start.urls")),  # «Nå», the start page (name: home)
    path("profil/", views.ProfileView.as_view(), name="profile"),
    path("profil/api-nokler/", views.ApiTokenView.as_view(), name="api-tokens"),
    path(
        "profil/api-nokler/<uuid:uuid>/trekk-tilbake/",
        views.ApiTokenRevokeView.as_view(),
        name="api-token-revoke",
    ),
    path("", include("portal.notifications.urls")),
    # allauth's TOTP set-up, marking the session that set it up (portal.auth)
    path("konto/2fa/totp/activate/", auth.activate_totp, name="mfa_activate_totp"),
    path("konto/", include("allauth.urls")),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
    path("api/v1/", include((api_v1, "api"))),
    path("", include("networks.urls")),
    path("", include("incidents.urls")),
    path("", include("reporting.urls")),
]
