"""Every admin page a superuser opens loads, and no changelist runs a query per row."""

import datetime

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django_tasks_db.models import DBTaskResult

from api.models import WebhookDelivery, WebhookEndpoint
from api.services import api_token_create
from api.webhooks import webhook_enqueue
from checkin import services as checkin_services
from checkin.models import Entrance
from common.admin import MalformedFilterMixin
from events.models import Event
from meetings.models import MeetingRound
from meetings.services import schedule_generate
from outbox.models import StaffJob
from registrations.emails import participation_email_queue
from registrations.models import Delegate, EmailDelivery, ErasureRequest
from tests.factories import EmailAttemptFactory, ParticipationFactory, StaffMessageFactory

pytestmark = pytest.mark.django_db

MODELS = sorted(admin.site._registry, key=lambda m: m._meta.label)


def _url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


#: Written only by the system (e-mails, jobs, task results): no add page.
READ_ONLY = {
    "outbox.OutboundEmail",
    "outbox.StaffJob",
    "registrations.EmailDelivery",
    "django_tasks_database.DBTaskResult",
}


@pytest.fixture
def demo(admin_client, admin_user):
    call_command("load_demo", verbosity=0)
    ErasureRequest.objects.create(participation=ParticipationFactory())
    # A badge and a scan at the sample edition's first entrance.
    entrance = Entrance.objects.first()
    delegate = Delegate.objects.filter(participation__event=entrance.checkin_list.event).first()
    checkin_services.scan_redeem(
        request=checkin_services.ScanRequest(entrance=entrance, delegate_id=delegate.pk)
    )
    checkin_services.badges_issue(delegates=[delegate])
    Group.objects.create(name="Reviewers of the test")
    delivery = participation_email_queue(
        participation=ParticipationFactory(), kind=EmailDelivery.Kind.RECEIPT
    )
    EmailAttemptFactory(email=delivery.email)
    StaffJob.objects.create(kind="tests.demo", title="Export", created_by=admin_user)
    StaffMessageFactory()
    DBTaskResult.objects.create(
        status="SUCCESSFUL",
        task_path="outbox.tasks.email_send",
        queue_name="email",
        backend_name="default",
        args_kwargs={"args": [delivery.email.pk], "kwargs": {}},
        priority=0,
    )
    # Rows the demo has none of: an API token, a webhook endpoint and one message to it.
    api_token_create(
        name="CRM", user=admin_user, expires_at=timezone.now() + datetime.timedelta(days=1)
    )
    endpoint = WebhookEndpoint.objects.create(
        url="https://crm.example.org/hooks", event_types=["edition.published"]
    )
    webhook_enqueue(event_type="edition.published", data={"edition": "x"})
    assert endpoint.deliveries.exists()
    # A run of the meeting scheduler on the sample edition (its draft meetings stay drafts).
    schedule_generate(event=MeetingRound.objects.first().event)
    return admin_client


#: Admin pages that only show what the site recorded: nothing can be added by hand.
RECORD_ONLY = {WebhookDelivery}


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_admin_changelist_and_add_pages_load(demo, model):
    changelist = demo.get(_url(model, "changelist"))
    assert changelist.status_code == 200
    assert str(model._meta.verbose_name_plural).lower() in changelist.text.lower()
    # Erasure requests come from registrants' status pages only; the organizer contact is one
    # record: once the demo made it, there is nothing to add.
    refused = (
        model._meta.label in READ_ONLY
        or model in RECORD_ONLY
        or model is ErasureRequest
        or model._meta.label == "organizations.OrganizerContact"
        or not admin.site._registry[model].has_add_permission(changelist.wsgi_request)
    )
    assert demo.get(_url(model, "add")).status_code == (403 if refused else 200)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_admin_change_page_loads(demo, model):
    obj = model.objects.first()
    assert obj is not None, f"no {model._meta.label} in the demo data"
    response = demo.get(_url(model, "change", obj.pk))
    assert response.status_code == 200
    assert escape(str(obj)) in response.text


def _changelist_queries(client, model) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(_url(model, "changelist")).status_code == 200
    return len(queries)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_admin_changelist_query_count_does_not_grow_with_rows(admin_client, model):
    sizes = "--editions=2 --sessions={n} --participations={n} --agreements={n} --institutions={n}"
    call_command("generate_scale_data", *sizes.format(n=10).split(), verbosity=0)
    small = _changelist_queries(admin_client, model)
    call_command("generate_scale_data", *sizes.format(n=60).split(), verbosity=0)
    assert _changelist_queries(admin_client, model) == small


def test_admin_shows_english_and_chinese_of_a_field_on_one_row(demo):
    event = Event.objects.get(slug="venture-capital-day-of-shenzhen-2024")
    html = demo.get(_url(Event, "change", event.pk)).text
    row = html.split('class="form-row field-title_en field-title_zh_hans')[1].split("</fieldset>")[
        0
    ]
    assert 'name="title_en"' in row
    assert 'name="title_zh_hans"' in row


OUR_MODELS = [model for model in MODELS if model._meta.app_label != "auth"]


@pytest.mark.parametrize("model", OUR_MODELS, ids=lambda m: m._meta.label)
@pytest.mark.parametrize("value", ["abc", "99999999999999999999", "-1.5", "%00"])
def test_malformed_list_filters_are_no_server_error(admin_client, model, value):
    ParticipationFactory()
    fields = [
        f"{field.name}__id__exact"
        for field in model._meta.get_fields()
        if field.many_to_one and field.concrete
    ] or ["id__exact"]
    for parameter in [*fields, "venue", "o", "p"]:
        response = admin_client.get(_url(model, "changelist"), {parameter: value})
        assert response.status_code in {200, 302, 400}, (parameter, response.status_code)


def test_every_admin_of_our_apps_answers_malformed_filters_itself():
    """Django's and the task library's admins aside, each admin has MalformedFilterMixin."""
    without = [
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if not type(model_admin).__module__.startswith(("django.", "django_tasks_db."))
        and not isinstance(model_admin, MalformedFilterMixin)
    ]
    assert not without


def test_a_filter_on_an_edition_that_is_no_number_is_no_server_error(admin_client):
    ParticipationFactory()
    url = reverse("admin:registrations_participation_changelist")
    for value in ["abc", "99999999999999999999"]:
        response = admin_client.get(url, {"event__id__exact": value})
        assert response.status_code in {200, 302, 400}
