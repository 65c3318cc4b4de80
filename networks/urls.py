from django.urls import include, path

app_name = "networks"

# Each feature package has its own urls module; all share this namespace.
urlpatterns = [
    path("", include("networks.structure.urls")),
    # The library, comment rounds and action cards; resources, agreements, requests for
    # assistance and joint procurement: each in its own module, in this namespace.
    path("", include("networks.library.urls")),
    path("", include("networks.comment_rounds.urls")),
    path("", include("networks.action_cards.urls")),
    path("", include("networks.resources.urls")),
    path("", include("networks.aid.urls")),
    path("", include("networks.information.urls")),
    path("", include("networks.meetings.urls")),
]
