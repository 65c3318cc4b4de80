"""The form builder in the API (see reporting/api/urls.py)."""

from rest_framework.routers import SimpleRouter

from reporting.builder.api import views

router = SimpleRouter()
router.register("form-builder", views.FormBuilderViewSet, basename="form-builder")

urlpatterns = router.urls
