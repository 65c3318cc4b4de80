"""Information down, the pages: the message list (sent and received), sending a message,
a message's page (reading it records the organisation's first reading), the read
receipts with their live poll and the reminder, questions and answers, attachment
downloads, and the message as CAP 1.2 XML."""

from django.apps import apps
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from incidents.log.models import CrisisFrame, Incident
from networks.information import actions, rules
from networks.information.cap import message_cap_xml
from networks.information.filtersets import MessageFilterSet
from networks.information.forms import AnswerForm, MessageForm, QuestionForm
from networks.information.models import (
    Message,
    MessageAttachment,
    MessageQuestion,
    MessageRecipient,
    MessageReminder,
)
from networks.library.models import Document
from portal.access import viewer_for
from portal.outbox import UNAVAILABLE, cache_get
from portal.web import (
    ActionFormView,
    ScopedMixin,
    add_action_errors,
    render_page,
    stored_file,
)

# Reporting is a sibling in the top layer (.importlinter): its rounds are reached by the
# app registry and their URL names, never by importing reporting.
ReportingRound = apps.get_model("reporting", "ReportingRound")

#: Messages per page of the list.
PAGE_SIZE = 50
#: How often the receipts page asks whether anything changed (seconds).
POLL_SECONDS = 3


def get_message(request, uuid, *related):
    return get_object_or_404(
        Message.objects.visible_to(request.user).select_related("sender", *related), uuid=uuid
    )


class MessageListView(ScopedMixin, View):
    """Meldinger: what the user's organisations sent and received, newest first."""

    model = Message

    def get(self, request):
        viewer = viewer_for(request.user)
        own_read = MessageRecipient.objects.filter(
            message_id=OuterRef("pk"), organisation_id__in=viewer.org_ids, read_at__isnull=False
        )
        queryset = (
            self.get_queryset()
            .select_related("sender")
            .with_read_count()
            .annotate(own_read=Exists(own_read))
            .order_by("-sent_at", "-id")  # a GROUP BY query drops Meta.ordering
        )
        filterset = MessageFilterSet(request.GET, queryset=queryset, request=request)
        rows = filterset.qs if filterset.is_valid() else queryset.none()
        page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
        for message in page:
            message.sent_by_us = message.sender_id in viewer.org_ids
        query = request.GET.copy()
        query.pop("page", None)
        return render_page(
            request,
            "networks/information/message_list.html",
            {
                "page": page,
                "filter": filterset,
                "query": query.urlencode(),
                "may_send": rules.may_send(request.user),
                "nav_section": "information",
            },
            partial="results",
        )


class MessageCreateView(ActionFormView):
    model = Message
    template_name = "networks/information/message_form.html"
    nav_section = "information"
    success_message = gettext_lazy("The message was sent.")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not rules.may_send(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form(self, data=None, files=None):
        return MessageForm(
            data, files, user=self.request.user, sender_ids=rules.sender_org_ids(self.request.user)
        )

    def perform(self, form):
        data = dict(form.cleaned_data)
        return actions.do_send_message(acting_user=self.request.user, **data)

    def get_success_url(self, result):
        return reverse("networks:message-receipts", kwargs={"uuid": result.uuid})


#: The kinds of link a message can carry: field, label, model, URL name.
LINK_KINDS = (
    ("frame", gettext_lazy("National crisis"), CrisisFrame, "incidents:frame-detail"),
    ("incident", gettext_lazy("Incident"), Incident, "incidents:incident-detail"),
    ("round", gettext_lazy("Reporting round"), ReportingRound, "reporting:round-detail"),
    ("document", gettext_lazy("Document"), Document, "networks:document-detail"),
)


def visible_links(user, message):
    """The message's links the viewer may see, as (label, title, url): a link to
    something the viewer may not see is left out (not even its title is shown)."""
    links = []
    for field, label, model, url_name in LINK_KINDS:
        target_id = getattr(message, f"{field}_id")
        if target_id and model.objects.visible_to(user).filter(pk=target_id).exists():
            target = getattr(message, field)
            url = reverse(url_name, kwargs={"uuid": target.uuid})
            links.append((label, str(target), url))
    return links


def detail_context(request, message, *, question_form=None, answer_forms=None):
    user = request.user
    recipient_ids = list(
        MessageRecipient.objects.filter(message=message).values_list("organisation_id", flat=True)
    )
    asker_ids = rules.asker_org_ids(user, recipient_ids)
    may_manage = rules.may_manage(user, message)
    questions = list(
        MessageQuestion.objects.visible_to(user)
        .filter(message=message)
        .select_related("organisation")
    )
    answer_forms = answer_forms or {}
    for question in questions:
        question.form = answer_forms.get(question.pk) or (
            AnswerForm(prefix=str(question.uuid))
            if may_manage and not question.answered_at
            else None
        )
    sees_receipts = rules.sees_receipts(user, message)
    return {
        "message": message,
        "links": visible_links(user, message),
        "attachments": list(message.attachments.all()),
        "questions": questions,
        "question_form": question_form or (QuestionForm(org_ids=asker_ids) if asker_ids else None),
        "may_manage": may_manage,
        "sees_receipts": sees_receipts,
        "read_count": (
            MessageRecipient.objects.filter(message=message, read_at__isnull=False).count()
            if sees_receipts
            else None
        ),
        "regions": list(message.regions.all()),
        "named": list(message.organisations.all()),
        "nav_section": "information",
    }


def render_detail(request, message, status=200, **forms):
    return render_page(
        request,
        "networks/information/message_detail.html",
        detail_context(request, message, **forms),
        status=status,
    )


class MessageDetailView(ScopedMixin, View):
    """A message's page. Opening it records the first reading for each of the viewer's
    organisations that the message reached."""

    model = Message

    def get(self, request, uuid):
        message = get_message(request, uuid, "network", "frame", "incident", "round", "document")
        actions.do_mark_read(message, acting_user=request.user)
        return render_detail(request, message)


def receipts_version(message):
    """When the receipts last changed, from the cache; None when Redis is down (the poll
    then renders every time: slower, never stale)."""
    version = cache_get(actions.receipts_version_key(message.pk))
    return None if version is UNAVAILABLE else (version or "0")


def receipts_context(request, message):
    recipients = list(
        MessageRecipient.objects.filter(message=message)
        .select_related("organisation", "read_by")
        .order_by("read_at", "organisation__name")
    )
    reminded = set(
        MessageReminder.objects.filter(message=message).values_list("organisation_id", flat=True)
    )
    unread = [r for r in recipients if r.read_at is None]
    read = sorted((r for r in recipients if r.read_at is not None), key=lambda r: r.read_at)
    for row in recipients:
        row.reminded = row.organisation_id in reminded
    version = receipts_version(message)
    return {
        "message": message,
        "read": read,
        "unread": unread,
        "read_count": len(read),
        "total": len(recipients),
        "may_remind": rules.may_manage(request.user, message)
        and any(not r.reminded for r in unread),
        "may_manage": rules.may_manage(request.user, message),
        "poll_url": reverse("networks:message-receipts-updates", kwargs={"uuid": message.uuid})
        + f"?v={version or ''}",
        "poll_seconds": POLL_SECONDS,
        "nav_section": "information",
    }


def get_receipts_message(request, uuid):
    message = get_message(request, uuid)
    if not rules.sees_receipts(request.user, message):
        raise PermissionDenied
    return message


class MessageReceiptsView(ScopedMixin, View):
    """Lesestatus: who of the recipients has read and who has not, live."""

    model = Message

    def get(self, request, uuid):
        message = get_receipts_message(request, uuid)
        return render_page(
            request,
            "networks/information/message_receipts.html",
            receipts_context(request, message),
            partial="receipts",
        )


class MessageReceiptsUpdatesView(ScopedMixin, View):
    """The receipts' poll: 204 without a body when nothing changed since the version the
    page has (one scoped query and a cache read), else the receipts section anew."""

    model = Message

    def get(self, request, uuid):
        message = get_object_or_404(
            Message.objects.visible_to(request.user).only("id", "uuid", "sender_id"), uuid=uuid
        )
        if not rules.sees_receipts(request.user, message):
            raise PermissionDenied
        version = receipts_version(message)
        if version is not None and request.GET.get("v") == version:
            return HttpResponse(status=204)
        message = get_message(request, uuid)
        return render(
            request,
            "networks/information/message_receipts.html#receipts",
            receipts_context(request, message),
        )


class MessageRemindView(ScopedMixin, View):
    model = Message

    def post(self, request, uuid):
        message = get_receipts_message(request, uuid)
        try:
            reminded = actions.do_remind(message, acting_user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("%(n)s organisations that had not read were reminded.") % {"n": len(reminded)},
            )
        return redirect("networks:message-receipts", uuid=message.uuid)


class QuestionCreateView(ScopedMixin, View):
    model = Message

    def post(self, request, uuid):
        message = get_message(request, uuid)
        recipient_ids = MessageRecipient.objects.filter(message=message).values_list(
            "organisation_id", flat=True
        )
        asker_ids = rules.asker_org_ids(request.user, recipient_ids)
        if not asker_ids:
            raise PermissionDenied
        form = QuestionForm(request.POST, org_ids=asker_ids)
        if form.is_valid():
            try:
                actions.do_ask_question(
                    message,
                    organisation=form.cleaned_data["organisation"],
                    acting_user=request.user,
                    text=form.cleaned_data["text"],
                )
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                messages.success(request, _("Your question was sent."))
                return redirect(
                    reverse("networks:message-detail", kwargs={"uuid": uuid}) + "#questions"
                )
        return render_detail(request, message, status=400, question_form=form)


class AnswerView(ScopedMixin, View):
    model = MessageQuestion

    def post(self, request, uuid):
        question = get_object_or_404(
            MessageQuestion.objects.visible_to(request.user).select_related("message__sender"),
            uuid=uuid,
        )
        message = question.message
        if not rules.may_manage(request.user, message):
            raise PermissionDenied
        form = AnswerForm(request.POST, prefix=str(question.uuid))
        if form.is_valid():
            try:
                actions.do_answer_question(
                    question,
                    acting_user=request.user,
                    answer=form.cleaned_data["answer"],
                    public=form.cleaned_data["public"],
                )
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                messages.success(request, _("The answer was sent."))
                return redirect(
                    reverse("networks:message-detail", kwargs={"uuid": message.uuid})
                    + f"#question-{question.uuid}"
                )
        return render_detail(request, message, status=400, answer_forms={question.pk: form})


class MessageAttachmentView(ScopedMixin, View):
    model = MessageAttachment

    def get(self, request, uuid):
        attachment = get_object_or_404(self.get_queryset(), uuid=uuid)
        return stored_file(
            attachment.file, filename=attachment.filename, content_type=attachment.content_type
        )


class MessageCapView(ScopedMixin, View):
    """The message as a CAP 1.2 alert (OASIS Common Alerting Protocol)."""

    model = Message

    def get(self, request, uuid):
        message = get_message(request, uuid)
        response = HttpResponse(
            message_cap_xml(message), content_type="application/cap+xml; charset=utf-8"
        )
        response["Content-Disposition"] = f'inline; filename="melding-{message.uuid}.cap.xml"'
        return response
