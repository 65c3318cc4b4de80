from django.urls import path

from reporting.start.api import views

urlpatterns = [
    path("start/", views.StartView.as_view(), name="start"),
]
