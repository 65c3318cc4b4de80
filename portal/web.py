"""The browser side's kit: every page view is built from these.

- :func:`render_page` renders a whole page or, for HTMX, only its named partial;
- :class:`ScopedMixin` gives every view its queryset through ``visible_to(user)``;
- :class:`ActionFormView` is the one form → action → errors → redirect sequence;
- :func:`redirect_htmx`, :func:`htmx_partial`, :func:`safe_next`, :func:`add_action_errors`
  are the small steps those views share; :func:`stored_file` serves an upload.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django_htmx.http import HttpResponseClientRedirect

if TYPE_CHECKING:
    # What gettext_lazy returns (a lazy str); the stubs' name, no runtime class of its own.
    from django.utils.functional import _StrPromise


def htmx_partial(request: HttpRequest) -> bool:
    """True for an HTMX request that wants a fragment: not a boosted navigation and not a
    history restore (those need the whole page)."""
    htmx: Any = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def render_page(
    request: HttpRequest,
    template_name: str,
    context: dict[str, Any],
    partial: str = "content",
    status: int = 200,
) -> HttpResponse:
    """Render the whole page, or only its named partial for an HTMX request that is not
    a boosted navigation or a history restore (one helper decides, so every list behaves
    the same). The response varies on ``HX-Request`` so no cache hands a partial to a
    normal page load."""
    name = f"{template_name}#{partial}" if htmx_partial(request) else template_name
    response = render(request, name, context, status=status)
    patch_vary_headers(response, ("HX-Request",))
    return response


def redirect_htmx(request: HttpRequest, url: str) -> HttpResponse:
    """A form posted by HTMX swaps itself; on success the whole page moves on."""
    if getattr(request, "htmx", False):
        return HttpResponseClientRedirect(url)
    return redirect(url)


def safe_next(request: HttpRequest, fallback: str) -> str:
    """The ``next`` the request names when it stays on this site, else ``fallback``."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return fallback


def add_action_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Put a ValidationError from an action on the form's fields (or the form)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def stored_file(file: FieldFile, *, filename: str, content_type: str | None = None) -> FileResponse:
    """A stored upload as a download (pages and API alike): 404 when there is no file or
    the storage has lost it, never cached on the way (it is someone's private file)."""
    if not file:
        raise Http404
    try:
        handle = file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=filename,
        content_type=content_type or "application/octet-stream",
    )
    response["Cache-Control"] = "private, no-store"
    return response


class ScopedMixin(LoginRequiredMixin):
    """Every view's queryset comes from ``Model.objects.visible_to(user)``: the one place
    that decides what the user may see. Single objects are looked up in that queryset, so
    an outsider gets 404 and never learns that the object exists."""

    model: Any = None

    request: HttpRequest

    def get_queryset(self) -> QuerySet[Any]:
        if self.model is None:
            raise Http404
        return self.model.objects.visible_to(self.request.user)


class ActionFormView(ScopedMixin, View):
    """The one form → action → errors → redirect sequence of every form page.

    A subclass names ``template_name`` (and ``partial``, the template partial an HTMX
    post swaps), and implements :meth:`get_form` and :meth:`perform` (which calls one
    ``do_*`` action with the cleaned data and returns what it made). On success the
    user gets ``success_message`` and is sent (HTMX-aware) to :meth:`get_success_url`;
    an invalid form or a ValidationError from the action re-renders the form with the
    errors in place and status 400, nothing saved. :meth:`get_context` adds to the
    template context; ``nav_section`` marks the menu.
    """

    template_name: str = ""
    partial: str = "form"
    nav_section: str | None = None
    success_message: str | _StrPromise | None = None

    def get_form(self, data: Any = None, files: Any = None) -> forms.BaseForm:
        raise NotImplementedError(f"{type(self).__name__} must define get_form()")

    def perform(self, form: Any) -> Any:
        raise NotImplementedError(f"{type(self).__name__} must define perform()")

    def get_success_url(self, result: Any) -> str:
        raise NotImplementedError(f"{type(self).__name__} must define get_success_url()")

    def get_success_message(self, result: Any) -> str | _StrPromise | None:
        return self.success_message

    def get_context(self, form: Any) -> dict[str, Any]:
        return {}

    def render_form(self, form: forms.BaseForm, status: int = 200) -> HttpResponse:
        context = {"form": form, **self.get_context(form)}
        if self.nav_section is not None:
            context.setdefault("nav_section", self.nav_section)
        return render_page(
            self.request, self.template_name, context, partial=self.partial, status=status
        )

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.render_form(self.get_form())

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = self.get_form(request.POST, request.FILES)
        if form.is_valid():
            try:
                result = self.perform(form)
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                message = self.get_success_message(result)
                if message:
                    messages.success(request, message)
                return redirect_htmx(request, self.get_success_url(result))
        return self.render_form(form, status=400)
