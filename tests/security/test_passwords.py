"""Finding 13: weak passwords were accepted ("password" and "12345678" passed)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("weak", ["password", "12345678", "short", "newsroom-erin"])
def test_weak_passwords_are_refused(weak):
    user = User(username="newsroom-erin", email="erin@newsroom.example")
    with pytest.raises(ValidationError):
        validate_password(weak, user)


def test_a_strong_password_passes():
    validate_password("Correct-horse-77", User(username="erin"))


@pytest.mark.parametrize("weak", ["password", "12345678"])
def test_the_admin_refuses_a_weak_password_for_a_new_user(client, weak, django_user_model):
    root = django_user_model.objects.create_superuser("root", password="pw-root")
    client.force_login(root)
    response = client.post(
        "/admin/auth/user/add/",
        {"username": "newbie", "usable_password": "true", "password1": weak, "password2": weak},
    )
    assert response.status_code == 200  # the form again, with the error
    assert not User.objects.filter(username="newbie").exists()
