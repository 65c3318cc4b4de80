from django.urls import path

from reporting import views

app_name = "reporting"

urlpatterns = [
    path("rapportering/skjema/", views.FormListView.as_view(), name="form-list"),
    path("rapportering/skjema/<uuid:uuid>/", views.FormDetailView.as_view(), name="form-detail"),
]
