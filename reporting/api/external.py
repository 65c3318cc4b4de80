"""Reporting from a municipality's own crisis tool: one POST with the round, the
municipality and the answers, no draft round-trip (for tools that export a report).

``POST /api/v1/reporting-rounds/{uuid}/reports/`` submits (or amends) the municipality's
report in the round. The round must be visible to the user (else 404); the municipality is
named by its organisation UUID or its four-digit municipality number and must be one of
the round's recipients (else 400); the user must write for it (else 403). Answers are
checked against the round's form version exactly as in the browser (400 with an error
per field); nothing is saved unless everything is valid.
"""

import rules
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.api import run_action
from reporting import actions
from reporting.api import serializers as s
from reporting.api.views import etag
from reporting.models import ReportingRound, Submission


class ExternalReportView(APIView):
    """Submit a municipality's report to a round in one request."""

    @extend_schema(
        operation_id="reporting_rounds_reports_create",
        request=s.ExternalReportSerializer,
        responses={
            200: s.SubmissionSerializer,
            400: OpenApiResponse(description="Field errors, or not a recipient of the round."),
            403: OpenApiResponse(description="You do not report for this municipality."),
            404: OpenApiResponse(description="No such round among those you see."),
            412: OpenApiResponse(description="Someone saved since the version you sent."),
        },
        tags=["reporting-rounds"],
    )
    def post(self, request, uuid):
        round_ = get_object_or_404(ReportingRound.objects.visible_to(request.user), uuid=uuid)
        serializer = s.ExternalReportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        name = data["municipality"].strip()
        match = Q(municipality__municipality__number=name)
        if len(name) == 36:
            match |= Q(municipality__uuid=name)
        submission = (
            Submission.objects.filter(round=round_)
            .filter(match)
            .select_related("municipality", "round")
            .first()
        )
        if submission is None:
            raise serializers.ValidationError(
                {
                    "municipality": [
                        _("“%(name)s” is not among the municipalities this round was sent to.")
                        % {"name": name}
                    ]
                }
            )
        if not rules.has_perm("reporting.write_submission", request.user, submission):
            raise PermissionDenied
        header = request.headers.get("If-Match", "").strip().strip('"')
        version = int(header) if header.isdigit() else data.get("version", submission.version)
        submission = run_action(
            actions.do_submit,
            submission,
            expected_version=version,
            acting_user=request.user,
            answers=data["answers"],
        )
        submission = (
            Submission.objects.visible_to(request.user)
            .select_related("round", "municipality")
            .prefetch_related("revisions")
            .get(pk=submission.pk)
        )
        return Response(
            s.SubmissionSerializer(submission, context={"request": request}).data,
            headers={"ETag": etag(submission)},
        )
