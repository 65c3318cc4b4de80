"""Base views: the scoped mixin every view uses, the HTMX-aware render helper, the
profile page, and the API tokens under the profile."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from portal.access import viewer_for
from portal.auth import passed_second_factor
from portal.models import ApiToken
from portal.tokens import ApiTokenForm, do_create_api_token, do_revoke_api_token
from portal.web import redirect_htmx, render_page


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


class ApiTokenView(LoginRequiredMixin, View):
    """API-nøkler: the user's own tokens (name, made, expires, last used) and a form to
    make one. Making one needs a session that has passed the second factor; the new
    token is shown on the answer to the POST, once, and never again."""

    template_name = "portal/api_tokens.html"

    def render_tokens(self, request, form=None, created=None, plain=None, status=200):
        context = {
            "tokens": ApiToken.objects.visible_to(request.user),
            "form": form or ApiTokenForm(),
            "may_create": passed_second_factor(request),
            "created": created,
            "plain": plain,
        }
        response = render_page(request, self.template_name, context)
        response.status_code = status
        return response

    def get(self, request):
        return self.render_tokens(request)

    def post(self, request):
        if not passed_second_factor(request):
            raise PermissionDenied
        form = ApiTokenForm(request.POST)
        if not form.is_valid():
            return self.render_tokens(request, form=form, status=400)
        token, plain = do_create_api_token(
            user=request.user,
            name=form.cleaned_data["name"],
            days=form.cleaned_data["days"],
            acting_user=request.user,
            second_factor=True,
        )
        response = self.render_tokens(request, created=token, plain=plain)
        response["Cache-Control"] = "no-store"  # the token must not linger in a cache
        return response


class ApiTokenRevokeView(LoginRequiredMixin, View):
    """Revoke one of the user's own tokens (another user's: 404)."""

    def post(self, request, uuid):
        token = get_object_or_404(ApiToken.objects.visible_to(request.user), uuid=uuid)
        do_revoke_api_token(token, acting_user=request.user)
        messages.success(request, _("The API token «%(name)s» is revoked.") % {"name": token.name})
        return redirect_htmx(request, reverse("api-tokens"))
