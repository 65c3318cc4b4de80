from django.urls import path

from reporting.start import views

urlpatterns = [
    path("", views.StartView.as_view(), name="home"),
]
