"""Finding 1: an editor could make themselves superuser through the stock UserAdmin.

Erin is an editor (auth.change_user). She may add users, deactivate them and give them the
fact-checker and reviewer roles; superuser status, raw permissions, the editors group,
other people's passwords and privileged accounts are for superusers only, whatever the
form posts.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission

from claims.roles import EDITORS, FACT_CHECKERS, REVIEWERS, ensure_roles

pytestmark = pytest.mark.django_db


@pytest.fixture
def erin(django_user_model):
    ensure_roles()
    user = django_user_model.objects.create_user("erin", password="pw-erin", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITORS))
    return user


@pytest.fixture
def root(django_user_model):
    return django_user_model.objects.create_superuser("root", password="pw-root")


def change_url(user) -> str:
    return f"/admin/auth/user/{user.pk}/change/"


def form_data(user, **over) -> dict:
    data = {
        "username": user.username,
        "first_name": "",
        "last_name": "",
        "email": "",
        "is_active": "on",
        "is_staff": "on",
        "date_joined_0": "2025-01-01",
        "date_joined_1": "00:00:00",
        "initial-date_joined_0": "2025-01-01",
        "initial-date_joined_1": "00:00:00",
        "groups": [g.pk for g in user.groups.all()],
    }
    data.update(over)
    return {k: v for k, v in data.items() if v is not None}


def test_editor_cannot_make_themselves_superuser(client, erin):
    client.force_login(erin)
    response = client.post(
        change_url(erin),
        form_data(erin, is_superuser="on", user_permissions=[Permission.objects.first().pk]),
    )
    assert response.status_code == 403
    erin.refresh_from_db()
    assert not erin.is_superuser and not erin.user_permissions.exists()


def test_editor_cannot_make_another_user_superuser(client, erin, bob):
    client.force_login(erin)
    client.post(change_url(bob), form_data(bob, is_superuser="on"))
    bob.refresh_from_db()
    assert not bob.is_superuser


def test_editor_cannot_grant_raw_permissions_or_the_editors_group(client, erin, bob):
    client.force_login(erin)
    editors = Group.objects.get(name=EDITORS)
    perm = Permission.objects.get(codename="change_user")
    client.post(change_url(bob), form_data(bob, groups=[editors.pk], user_permissions=[perm.pk]))
    bob.refresh_from_db()
    assert not bob.groups.filter(name=EDITORS).exists()
    assert not bob.user_permissions.exists()


def test_editor_does_not_see_superuser_or_permission_fields(client, erin, bob):
    client.force_login(erin)
    page = client.get(change_url(bob)).content.decode()
    assert 'name="is_superuser"' not in page
    assert 'name="user_permissions"' not in page
    assert f'value="{Group.objects.get(name=EDITORS).pk}"' not in page


def test_editor_cannot_take_over_a_superuser_or_another_editor(
    client, erin, root, django_user_model
):
    other = django_user_model.objects.create_user("edgar", password="pw-edgar", is_staff=True)
    other.groups.add(Group.objects.get(name=EDITORS))
    client.force_login(erin)
    for target in (root, other):
        response = client.post(change_url(target), form_data(target, email="erin@evil.example"))
        assert response.status_code == 403
        target.refresh_from_db()
        assert target.email != "erin@evil.example"
        response = client.post(
            f"/admin/auth/user/{target.pk}/password/",
            {"password1": "Takeover-pass-991", "password2": "Takeover-pass-991"},
        )
        assert response.status_code == 403
        target.refresh_from_db()
        assert not target.check_password("Takeover-pass-991")


def test_editor_cannot_reset_a_plain_users_password(client, erin, bob):
    client.force_login(erin)
    response = client.post(
        f"/admin/auth/user/{bob.pk}/password/",
        {"password1": "Takeover-pass-991", "password2": "Takeover-pass-991"},
    )
    assert response.status_code == 403
    bob.refresh_from_db()
    assert bob.check_password("pw-bob")


def test_editor_assigns_roles_and_deactivates_a_user(client, erin, charlie):
    client.force_login(erin)
    checkers = Group.objects.get(name=FACT_CHECKERS)
    reviewers = Group.objects.get(name=REVIEWERS)
    response = client.post(
        change_url(charlie), form_data(charlie, groups=[checkers.pk, reviewers.pk])
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    charlie.refresh_from_db()
    assert set(charlie.groups.values_list("name", flat=True)) == {FACT_CHECKERS, REVIEWERS}
    response = client.post(
        change_url(charlie), form_data(charlie, is_active=None, groups=[checkers.pk])
    )
    assert response.status_code == 302
    charlie.refresh_from_db()
    assert not charlie.is_active


def test_editor_adds_a_user(client, erin):
    client.force_login(erin)
    response = client.post(
        "/admin/auth/user/add/",
        {
            "username": "newbie",
            "usable_password": "true",
            "password1": "Correct-horse-77",
            "password2": "Correct-horse-77",
        },
    )
    assert response.status_code == 302
    from django.contrib.auth.models import User

    assert User.objects.filter(username="newbie", is_superuser=False).exists()


def test_superuser_still_grants_superuser_status(client, root, bob):
    client.force_login(root)
    page = client.get(change_url(bob)).content.decode()
    assert 'name="is_superuser"' in page and 'name="user_permissions"' in page
