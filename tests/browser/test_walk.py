"""Log in and walk the main pages as the people who use them every day."""

import datetime as dt
import re
from pathlib import Path
from typing import Any

from conftest import login

from zhenjie.personnel.models import Enrolment, Person

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "browser"


def shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_staffing_office_walks_the_main_pages(demo: Any, live_server: Any, page: Any) -> None:
    # given the county staffing office's account
    base = live_server.url
    login(page, base, "bianban")

    # then the overview shows the county with its towns and streets
    assert page.locator("h1").inner_text() == "阿尔山市 · 编制总览"
    assert "镇" in page.locator("body").inner_text()
    shot(page, "overview")

    # when the officer opens the tree and then a town
    page.click("text=机构树")
    page.locator("[data-testid=unit-tree]").get_by_role("link", name="天池镇", exact=True).click()
    page.wait_for_url(re.compile(r".*/org/units/\d+/$"))
    assert page.locator("h1").inner_text().strip() == "天池镇"
    # the quota and people panels load through HTMX
    page.wait_for_selector("[data-testid=balances]")
    page.wait_for_selector("[data-testid=enrolled]")
    assert "行政编制" in page.locator("[data-testid=balances]").inner_text()
    assert (
        page.locator("[data-testid=children] li").count() == 10
    )  # 6 offices, center, bureau, 2 agencies
    shot(page, "town")

    # the docking page reports about six departments per office
    page.click("text=对接部门")
    average = float(page.locator("[data-testid=docking-average]").inner_text())
    assert 5.5 <= average <= 7
    assert int(page.locator("[data-testid=office-count]").inner_text()) == 44

    # the register lists people with masked ID numbers
    page.click("nav >> text=实名制人员")
    first_id = page.locator("table tbody tr td").nth(1).inner_text()
    assert re.fullmatch(r"\d{6}\*{8}\d{3}[\dX]", first_id)

    # search finds a unit
    page.fill("input[name=q]", "白狼")
    page.press("input[name=q]", "Enter")
    assert "白狼镇" in page.locator("[data-testid=unit-results]").inner_text()


def test_town_operator_enrols_a_person_and_sees_errors_in_chinese(
    demo: Any, live_server: Any, page: Any
) -> None:
    # given the 天池镇 operator on the enrolment form of the town center
    base = live_server.url
    login(page, base, "tianchi")
    page.goto(f"{base}/people/new/")

    # when they type an ID number with a wrong check digit
    page.fill("#id_name", "测试员")
    page.fill("#id_id_number", "152202199001010011")
    page.select_option("#id_unit", label="天池镇")
    page.select_option("#id_quota_type", label="行政编制")
    page.select_option("#id_channel", label="公务员考录")
    page.fill("#id_start_date", dt.date.today().isoformat())
    page.fill("#id_post_title", "科员")
    page.click("button[type=submit]")

    # then the error is shown beside the field and nothing is saved
    assert page.locator("[data-field=id_number]").inner_text() == "身份证号码校验位错误"
    assert not Person.objects.filter(name="测试员").exists()

    # when the check digit is corrected
    page.fill("#id_id_number", "152202199001010016")
    page.click("button[type=submit]")

    # then the person is enrolled in 天池镇 and their page opens
    page.wait_for_selector("[data-testid=enrolments]")
    assert "天池镇" in page.locator("[data-testid=enrolments]").inner_text()
    assert Enrolment.objects.filter(
        person__name="测试员", unit__name="天池镇", end_date__isnull=True
    ).exists()
    shot(page, "person")


def test_town_operator_cannot_open_another_towns_unit(
    demo: Any, live_server: Any, page: Any
) -> None:
    from zhenjie.organizations.models import Unit

    # given the 天池镇 operator
    base = live_server.url
    login(page, base, "tianchi")
    bailang = Unit.objects.get(name="白狼镇")

    # when they open 白狼镇 by its address
    response = page.goto(f"{base}/org/units/{bailang.pk}/")

    # then it is not found for them, and their tree shows only their own town
    assert response.status == 404
    page.goto(f"{base}/org/units/tree/")
    tree = page.locator("[data-testid=unit-tree]").inner_text()
    assert "天池镇" in tree
    assert "白狼镇" not in tree
