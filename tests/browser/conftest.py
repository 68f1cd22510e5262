"""Browser tests: Playwright drives the system's Chromium against pytest-django's live server."""

import os
from collections.abc import Iterator
from typing import Any

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test
# itself are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SEED_MIGRATIONS = [
    "zhenjie.staffing.migrations.0002_seed_quota_types",
    "zhenjie.powers.migrations.0002_seed_categories",
    "zhenjie.workflows.migrations.0002_seed_definitions",
    "zhenjie.duties.migrations.0003_seed_admission_definitions",
    "zhenjie.enforcement.migrations.0002_seed_equipment_kinds",
]

CHROMIUM = os.environ.get("ZHENJIE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI") == "true":
            pytest.fail(f"Chromium not found at {CHROMIUM}")
        pytest.skip(f"Chromium not found at {CHROMIUM}")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def demo(transactional_db: Any) -> Any:
    import importlib

    from django.apps import apps

    from zhenjie.demo.arxan import build_demo

    # A transactional test flushes the tables after each test, including what data migrations
    # seeded (quota types, power categories, approval procedures); put them back the same way.
    for module in SEED_MIGRATIONS:
        importlib.import_module(module).seed(apps, None)

    return build_demo()


def login(page: Any, base_url: str, username: str) -> None:
    from zhenjie.demo.arxan import DEMO_PASSWORD

    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/")
