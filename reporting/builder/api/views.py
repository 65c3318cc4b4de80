"""The form builder in the API: create a form (as a draft), read and replace its draft,
check it, publish it as the next immutable version, copy any visible form. The same
rules as the pages: issuers only (403 otherwise), a form's draft only for its owner's
issuers (a form one sees but does not own: 403; one that does not exist: 404)."""

from django.core.exceptions import PermissionDenied
from django.db.models import Max
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from portal.access import acting_organisation
from portal.api import ScopedViewSetMixin, action_errors, require, run_action
from portal.roles import REPORT_ISSUER_ROLES
from reporting.builder import actions, editing
from reporting.builder.api import serializers as s
from reporting.models import ReportForm
from reporting.rules import form_owner_orgs


class FormBuilderViewSet(ScopedViewSetMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Skjemabygger: report forms written in the portal. ``retrieve`` and ``draft`` read
    a form's draft; ``PUT draft`` replaces it; ``check`` says what stops it from being
    published (200 when nothing, 400 with the problems by section and field);
    ``publish`` makes it the form's next version; ``copy`` starts a new form from one."""

    model = ReportForm
    serializer_class = s.FormDraftSerializer
    lookup_field = "uuid"

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not form_owner_orgs(request.user):
            raise PermissionDenied

    def scope_queryset(self, queryset):
        return queryset.select_related("owner").annotate(latest_number=Max("versions__number"))

    def get_own_object(self):
        form = self.get_object()
        require("reporting.publish_form", self.request.user, form)
        return form

    def retrieve(self, request, *args, **kwargs):
        return Response(s.FormDraftSerializer(self.get_own_object()).data)

    def _fresh(self, form):
        return self.scope_queryset(ReportForm.objects.filter(pk=form.pk)).get()

    @extend_schema(request=s.FormCreateSerializer, responses={201: s.FormDraftSerializer})
    def create(self, request):
        serializer = s.FormCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        with action_errors():
            owner = acting_organisation(
                request.user, REPORT_ISSUER_ROLES, data.pop("owner", None), field="owner"
            )
            form = actions.do_create_draft_form(owner=owner, acting_user=request.user, **data)
        return Response(
            s.FormDraftSerializer(self._fresh(form)).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(methods=["GET"], responses=s.FormDraftSerializer)
    @extend_schema(
        methods=["PUT"], request=s.DraftReplaceSerializer, responses=s.FormDraftSerializer
    )
    @action(detail=True, methods=["get", "put"])
    def draft(self, request, uuid=None):
        form = self.get_own_object()
        if request.method == "PUT":
            serializer = s.DraftReplaceSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            form = run_action(
                actions.do_save_draft, form, acting_user=request.user, **serializer.validated_data
            )
            form = self._fresh(form)
        return Response(s.FormDraftSerializer(form).data)

    @extend_schema(
        request=None, responses={200: s.DraftCheckSerializer, 400: s.DraftCheckSerializer}
    )
    @action(detail=True, methods=["post"])
    def check(self, request, uuid=None):
        form = self.get_own_object()
        if form.draft is None:
            problems = {"": [_("There is no draft to publish.")]}
        else:
            problems = editing.draft_problems(form.draft, editing.published_types(form))
        body = {"valid": not problems, "problems": problems}
        return Response(
            body, status=status.HTTP_400_BAD_REQUEST if problems else status.HTTP_200_OK
        )

    @extend_schema(request=None, responses={201: s.PublishedVersionSerializer})
    @action(detail=True, methods=["post"])
    def publish(self, request, uuid=None):
        form = self.get_own_object()
        version = run_action(actions.do_publish_draft, form, acting_user=request.user)
        return Response(s.PublishedVersionSerializer(version).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.CopySerializer, responses={201: s.FormDraftSerializer})
    @action(detail=True, methods=["post"])
    def copy(self, request, uuid=None):
        source = self.get_object()
        if actions.latest_version(source) is None and not request.user.has_perm(
            "reporting.publish_form", source
        ):
            raise PermissionDenied
        serializer = s.CopySerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        with action_errors():
            owner = acting_organisation(
                request.user, REPORT_ISSUER_ROLES, data.pop("owner", None), field="owner"
            )
            form = actions.do_copy_form(
                source, owner=owner, acting_user=request.user, title=data["title"]
            )
        return Response(
            s.FormDraftSerializer(self._fresh(form)).data, status=status.HTTP_201_CREATED
        )
