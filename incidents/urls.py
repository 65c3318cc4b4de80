from django.urls import include, path

app_name = "incidents"

# Each feature package has its own urls module; all share this namespace.
urlpatterns = [
    path("", include("incidents.log.urls")),
    # Lessons learned and exercises.
    path("", include("incidents.lessons.urls")),
]
