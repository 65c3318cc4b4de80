"""Base views: the scoped mixin every view uses, the HTMX-aware render helper, home and
profile pages."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.views.generic import TemplateView

from portal.access import viewer_for


def render_page(request, template_name, context, partial="content"):
    """Render the whole page, or only its named partial for an HTMX request that is not
    a boosted navigation or a history restore (one helper decides, so every list behaves
    the same). The response varies on ``HX-Request`` so no cache hands a partial to a
    normal page load."""
    htmx = getattr(request, "htmx", False)
    if htmx and not htmx.boosted and not htmx.history_restore_request:
        response = render(request, f"{template_name}#{partial}", context)
    else:
        response = render(request, template_name, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


class ScopedMixin(LoginRequiredMixin):
    """Every view's queryset comes from ``Model.objects.visible_to(user)``: the one place
    that decides what the user may see. Single objects are looked up in that queryset, so
    an outsider gets 404 and never learns that the object exists."""

    model = None

    def get_queryset(self):
        if self.model is None:
            raise Http404
        return self.model.objects.visible_to(self.request.user)


def _own_assignments(user):
    """The user's own role assignments (scoped like every other query), with what the
    pages link to: the organisation's municipality or office, and the network."""
    from portal.models import RoleAssignment

    return (
        RoleAssignment.objects.visible_to(user)
        .filter(user=user)
        .select_related(
            "organisation", "organisation__municipality", "organisation__office", "network"
        )
        .order_by("organisation__name", "role")
    )


class PageMixin:
    """For template views: render through :func:`render_page`, so an HTMX request gets
    the page's ``content`` partial like every other page."""

    def render_to_response(self, context, **response_kwargs):
        return render_page(self.request, self.get_template_names()[0], context)


class HomeView(LoginRequiredMixin, PageMixin, TemplateView):
    """Greeting, the user's organisations and roles, quick links."""

    template_name = "portal/home.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(assignments=_own_assignments(self.request.user), **kwargs)


class ProfileView(LoginRequiredMixin, PageMixin, TemplateView):
    """The user's organisations and roles."""

    template_name = "portal/profile.html"

    def get_context_data(self, **kwargs):
        from allauth.mfa.models import Authenticator

        user = self.request.user
        return super().get_context_data(
            assignments=_own_assignments(user),
            has_totp=Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists(),
            viewer=viewer_for(user),
            **kwargs,
        )
