"""Logging in and out; every page but the login page needs a logged-in user."""

import pytest
from django.contrib.auth import SESSION_KEY

from zhenjie.accounts.models import User
from zhenjie.core.roles import Role
from zhenjie.demo.arxan import DEMO_PASSWORD


@pytest.fixture
def officer(org) -> User:
    """The county staffing office's account, with the demo password."""
    return User.objects.create_user(
        "bianban",
        password=DEMO_PASSWORD,
        first_name="市委编办",
        role=Role.STAFFING_OFFICE,
        unit=org.county,
    )


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/search/",
        "/org/units/",
        "/org/units/tree/",
        "/org/docking/",
        "/staffing/movements/",
        "/staffing/movements/new/",
        "/people/",
        "/people/new/",
    ],
)
def test_anonymous_visitors_are_sent_to_the_login_page(client, db, url):
    # given nobody logged in
    # when a page is opened
    response = client.get(url)

    # then the visitor is sent to log in, and back to the page afterwards
    assert (response.status_code, response["Location"]) == (302, f"/accounts/login/?next={url}")


def test_anonymous_post_changes_nothing(client, org, row_counts):
    # given nobody logged in
    before = row_counts()

    # when someone posts a unit form
    response = client.post(
        "/org/units/new/",
        {"name": "办", "kind": "office", "parent": org.tianchi.pk, "established_on": "2025-01-01"},
    )

    # then they are sent to log in and nothing is saved
    assert (response.status_code, response["Location"]) == (
        302,
        "/accounts/login/?next=/org/units/new/",
    )
    assert row_counts() == before


def test_login_page_renders(client, db):
    # given nobody logged in
    # when the login page is opened
    response = client.get("/accounts/login/")

    # then the form is shown without an error
    html = response.content.decode()
    assert response.status_code == 200
    assert '<h1 class="h4 mb-3">登录</h1>' in html
    assert "用户名或密码错误" not in html


def test_login_with_the_demo_password_opens_the_overview(client, officer):
    # given the staffing office's account
    # when it logs in with the demo password
    response = client.post(
        "/accounts/login/", {"username": "bianban", "password": DEMO_PASSWORD}, follow=True
    )

    # then the overview of its county opens, with the user named in the bar
    html = response.content.decode()
    assert response.redirect_chain == [("/", 302)]
    assert int(client.session[SESSION_KEY]) == officer.pk
    assert '<h1 class="h3 mb-0">阿尔山市 · 编制总览</h1>' in html
    assert 'data-testid="current-user">市委编办 · 阿尔山市 · 机构编制部门(编办)</span>' in html


def test_login_returns_to_the_page_asked_for(client, officer):
    # given a visitor sent to log in from the people list
    # when they log in
    response = client.post(
        "/accounts/login/?next=/people/",
        {"username": "bianban", "password": DEMO_PASSWORD, "next": "/people/"},
    )

    # then they go back to the people list
    assert (response.status_code, response["Location"]) == (302, "/people/")


@pytest.mark.parametrize(
    ("username", "password"),
    [
        ("bianban", "wrong-password"),
        ("nobody", DEMO_PASSWORD),
        ("bianban", ""),
    ],
    ids=["wrong-password", "unknown-user", "empty-password"],
)
def test_login_with_bad_credentials_is_refused(client, officer, username, password):
    # given the staffing office's account
    # when someone logs in with bad credentials
    response = client.post("/accounts/login/", {"username": username, "password": password})

    # then the page says so and nobody is logged in
    assert response.status_code == 200
    assert (
        '<div class="alert alert-danger" role="alert">用户名或密码错误, 请重新输入</div>'
        in response.content.decode()
    )
    assert SESSION_KEY not in client.session


def test_inactive_account_cannot_log_in(client, officer):
    # given a deactivated account
    officer.is_active = False
    officer.save()

    # when it logs in with the right password
    response = client.post("/accounts/login/", {"username": "bianban", "password": DEMO_PASSWORD})

    # then it is refused like a wrong password
    assert response.status_code == 200
    assert "用户名或密码错误, 请重新输入" in response.content.decode()
    assert SESSION_KEY not in client.session


def test_logout_ends_the_session(client, officer):
    # given the staffing office logged in
    client.force_login(officer)

    # when it logs out
    response = client.post("/accounts/logout/")

    # then it is back at the login page and pages need a login again
    assert (response.status_code, response["Location"]) == (302, "/accounts/login/")
    assert SESSION_KEY not in client.session
    assert client.get("/")["Location"] == "/accounts/login/?next=/"
