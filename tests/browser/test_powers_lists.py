"""Delegated powers and the three lists, as the staffing office, a town and a department use them."""

import datetime as dt
import re
from pathlib import Path
from typing import Any

from conftest import login

from zhenjie.demo.lists_catalog import DUTY_LIST_NAME
from zhenjie.duties.choices import DutyClass
from zhenjie.duties.models import DutyList
from zhenjie.duties.services import (
    ITEM_FIELDS,
    duty_item_save,
    edition_create,
    reply_record,
    round_start,
)
from zhenjie.organizations.models import Unit
from zhenjie.powers.choices import AcceptanceStatus, DelegationMode, Grantee
from zhenjie.powers.models import Acceptance, PowerCategory
from zhenjie.powers.services import batch_create, power_item_create

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "browser"
FARM_BUREAU = "阿尔山市农牧局"
SECOND_BATCH_ITEM = "对畜禽养殖场所动物防疫条件的日常监督检查"
REVISED_SENT = dt.date(2023, 3, 1)


def shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def texts(page: Any, selector: str) -> list[str]:
    return [t.strip() for t in page.locator(selector).all_inner_texts()]


def matrix_counts(page: Any) -> tuple[str, int, int, int, int]:
    """The matrix header, its item rows and its 承 / 缓 / 否 marks."""
    table = page.locator("[data-testid=matrix]")
    return (
        table.locator("thead th").first.inner_text(),
        table.locator("tbody tr").count(),
        table.locator("tbody .badge.bg-success").count(),
        table.locator("tbody .badge.bg-warning").count(),
        table.locator("tbody .badge.bg-secondary").count(),
    )


def revise_duty_list(bianban: Any) -> None:
    """After the first round the office writes a revised draft (修改稿) and sends it again.

    The revision drops SH-02, gives JB-03 to another office and adds JB-07; 农牧局, 天池镇 and
    白狼镇 are consulted; 天池镇 has no changes, 农牧局 comments on JB-07, 白狼镇 has not replied.
    """
    duty_list = DutyList.objects.get(name=DUTY_LIST_NAME)
    draft = duty_list.editions.get()
    revised = edition_create(actor=bianban, duty_list=duty_list, label="修改稿")
    for item in draft.items.exclude(code="SH-02"):
        fields = {name: getattr(item, name) for name in ITEM_FIELDS - {"code"}}
        if item.code == "JB-03":
            fields["responsible"] = "乡村振兴办公室"
        duty_item_save(actor=bianban, edition=revised, code=item.code, **fields)
    added = duty_item_save(
        actor=bianban,
        edition=revised,
        code="JB-07",
        name="组织开展森林草原防灭火宣传和巡护",
        area="应急管理",
        duty_class=DutyClass.BASIC,
        responsible="平安建设办公室",
    )
    parties = [Unit.objects.get(name=name) for name in (FARM_BUREAU, "天池镇", "白狼镇")]
    consultation = round_start(
        actor=bianban,
        edition=revised,
        title="关于征求《职责事项指导清单(修改稿)》意见的函",
        sent_on=REVISED_SENT,
        due_on=REVISED_SENT + dt.timedelta(days=14),
        parties=parties,
    )
    reply_record(
        actor=bianban,
        consultation=consultation,
        party=parties[1],
        replied_on=REVISED_SENT + dt.timedelta(days=3),
        no_changes=True,
    )
    reply_record(
        actor=bianban,
        consultation=consultation,
        party=parties[0],
        replied_on=REVISED_SENT + dt.timedelta(days=5),
        opinion="建议明确巡护期间的经费保障",
        item=added,
    )


def test_staffing_office_filters_the_matrix_and_compares_list_editions(
    demo: Any, live_server: Any, page: Any
) -> None:
    # given the demo's 99 powers answered by 8 towns and streets, and a revised duty list draft
    revise_duty_list(demo.users["bianban"])
    base = live_server.url
    login(page, base, "bianban")

    # when the county staffing office opens the acceptance matrix
    page.click("nav >> text=赋权事项")
    page.click("text=承接矩阵")
    page.wait_for_selector("[data-testid=matrix]")

    # then every item and every answer is shown
    assert matrix_counts(page) == ("事项(99)", 99, 344, 28, 220)

    # when it filters to 农牧局's items, then to its penalties
    page.select_option("#f-dept", label=FARM_BUREAU)
    page.click("button:has-text('筛选')")
    page.wait_for_url(re.compile(r".*department=\d+.*"))
    by_department = matrix_counts(page)
    page.select_option("#f-cat", label="行政处罚")
    page.click("button:has-text('筛选')")
    page.wait_for_url(re.compile(r".*category=\d+.*"))

    # then the counts narrow each time
    assert by_department == ("事项(10)", 10, 36, 4, 0)
    assert matrix_counts(page) == ("事项(5)", 5, 16, 4, 0)
    shot(page, "powers-matrix-filtered")

    # when it opens the duty list's revised draft and compares it with the first draft
    page.click("nav >> text=职责清单")
    page.locator(".card", has_text=DUTY_LIST_NAME).get_by_role("link", name="修改稿").click()
    page.wait_for_selector("[data-testid=rounds]")
    page.select_option("select[name=old]", label="征求意见稿(征求意见稿)")
    page.click("button:has-text('与此版本比较')")
    page.wait_for_selector("[data-testid=changed]")

    # then the added, removed and changed items are listed
    assert page.locator("h1").inner_text() == f"{DUTY_LIST_NAME}: 征求意见稿 → 修改稿"
    assert texts(page, "[data-testid=added] li") == ["JB-07 组织开展森林草原防灭火宣传和巡护"]
    assert texts(page, "[data-testid=removed] li") == ["SH-02 专业性强的行政许可事项的技术审查"]
    assert texts(page, "[data-testid=changed] li") == [
        "JB-03 统筹区域经济发展, 优化营商环境: 责任主体"
    ]
    shot(page, "duties-compare")

    # when it goes back to the revised draft and opens its consultation round
    page.go_back()
    page.locator("[data-testid=rounds]").get_by_role("link").click()
    page.wait_for_selector("[data-testid=replied]")

    # then it sees who replied, who has not, and the opinion given
    assert sorted(texts(page, "[data-testid=replied] li")) == sorted([FARM_BUREAU, "天池镇"])
    assert texts(page, "[data-testid=pending] li") == ["白狼镇"]
    assert "已反馈(2 / 3)" in page.locator("body").inner_text()
    assert texts(page, "[data-testid=opinions] li") == [
        f"{FARM_BUREAU}(JB-07): 建议明确巡护期间的经费保障"
    ]
    shot(page, "duties-round")


def test_town_operator_declines_a_power_only_with_a_written_reason(
    demo: Any, live_server: Any, page: Any
) -> None:
    # given a second batch delegating one more power of 农牧局 to the towns
    bianban = demo.users["bianban"]
    batch = batch_create(
        actor=bianban,
        name="第二批赋予苏木乡镇(街道)行政权力事项",
        issuer="内蒙古自治区人民政府",
        doc_no="内政字〔2023〕5号",
        issued_on=dt.date(2023, 1, 10),
    )
    item = power_item_create(
        actor=bianban,
        batch=batch,
        code="NMG-XZ-100",
        name=SECOND_BATCH_ITEM,
        category=PowerCategory.objects.get(name="行政监督检查"),
        legal_basis="《中华人民共和国动物防疫法》第二十四条",
        department=Unit.objects.get(name=FARM_BUREAU),
        mode=DelegationMode.ENTRUST,
        grantee=Grantee.TOWN,
    )
    base = live_server.url
    login(page, base, "tianchi")

    # when 天池镇's operator declines it without a reason, naming an office out of habit
    page.click("nav >> text=赋权事项")
    page.click("text=登记承接")
    page.select_option("#id_unit", label="天池镇")
    page.select_option("#id_item", label=f"NMG-XZ-100 {SECOND_BATCH_ITEM}")
    page.select_option("#id_status", label="不承接")
    page.select_option("#id_responsible_unit", label="天池镇 乡村振兴办公室")
    page.fill("#id_effective_on", "2023-03-01")
    page.click("button[type=submit]")

    # then the missing reason is shown beside its field and nothing is saved
    assert page.locator("[data-field=reason]").inner_text() == "不承接或暂缓承接须书面说明理由"
    assert not Acceptance.objects.filter(item=item).exists()
    shot(page, "powers-decline-no-reason")

    # when the reason is written but the office is still named
    page.fill("#id_reason", "本镇无规模养殖场, 暂无管理对象")
    page.click("button[type=submit]")

    # then the office is refused rather than dropped, and still nothing is saved
    assert (
        page.locator("[data-field=responsible_unit]").inner_text()
        == "不承接的事项不设承办机构, 请清空承办机构"
    )
    assert not Acceptance.objects.filter(item=item).exists()

    # when the office is cleared
    page.select_option("#id_responsible_unit", value="")
    page.click("button[type=submit]")

    # then the decline is saved and shown on the item's page
    page.wait_for_selector("[data-testid=acceptances]")
    assert texts(page, "[data-testid=acceptances] tbody td") == [
        "天池镇",
        "不承接",
        "—",
        "本镇无规模养殖场, 暂无管理对象",
        "2023-03-01",
    ]
    assert Acceptance.objects.filter(item=item).values_list(
        "unit__name", "status", "responsible_unit", "decided_by__username"
    ).get() == ("天池镇", AcceptanceStatus.DECLINED, None, "tianchi")
    shot(page, "powers-declined")


def test_department_operator_opens_its_follow_through(
    demo: Any, live_server: Any, page: Any
) -> None:
    # given 农牧局's operator
    base = live_server.url
    login(page, base, "nongmu")

    # when they open the powers overview
    page.click("nav >> text=赋权事项")
    page.wait_for_selector("[data-testid=follow-through]")

    # then only their own department is listed, and it sent no quota or people
    rows = page.locator("[data-testid=follow-through] tbody tr")
    assert rows.count() == 1
    assert rows.first.locator("td").first.inner_text() == FARM_BUREAU
    assert rows.first.locator(".badge").inner_text() == "未下放"

    # when they open their department's page
    rows.first.get_by_role("link", name=FARM_BUREAU).click()
    page.wait_for_selector("[data-testid=guidance]")

    # then it shows what should have followed the 10 powers, and that none did
    assert page.locator("h1").inner_text() == f"{FARM_BUREAU} · 下放事项与资源下沉"
    assert page.locator("[data-testid=quota]").inner_text() == "4 / 0"
    assert page.locator("[data-testid=people]").inner_text() == "4 / 0"
    assert page.locator("[data-testid=not-followed]").inner_text() == "未下放编制和人员"
    assert texts(page, "[data-testid=guidance] li") == ["无记录: 赋权后未组织指导或培训"]
    assert page.locator("table tbody tr").count() == 10
    shot(page, "powers-department")
