from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from portal import views

api_v1 = [
    path("", include("networks.api.urls")),
    path("", include("incidents.api.urls")),
    path("", include("reporting.api.urls")),
    path("", include("portal.api_urls")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
]

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("profil/", views.ProfileView.as_view(), name="profile"),
    path("", include("portal.notification_urls")),
    path("konto/", include("allauth.urls")),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
    path("api/v1/", include((api_v1, "api"))),
    path("", include("networks.urls")),
    path("", include("incidents.urls")),
    path("", include("reporting.urls")),
]
