import datetime

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from api.models import ApiToken
from tests.website.conftest import _english_by_default, edition, grow  # noqa: F401


@pytest.fixture
def reviewer(django_user_model):
    user = django_user_model.objects.create_user("reviewer", "r@example.com", "pw", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["view_participation", "review_participation"],
            content_type__app_label="registrations",
        )
    )
    return user


def make_token(user, **fields) -> tuple[ApiToken, str]:
    token = ApiToken(
        name="CRM",
        user=user,
        expires_at=fields.pop("expires_at", timezone.now() + datetime.timedelta(days=30)),
        **fields,
    )
    raw = token.set_new_token()
    token.save()
    return token, raw


@pytest.fixture
def review_token(reviewer):
    return make_token(reviewer, can_review_registrations=True)


@pytest.fixture
def read_token(reviewer):
    return make_token(reviewer, can_review_registrations=False)
