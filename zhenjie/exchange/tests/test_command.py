"""manage.py import_register: the same jobs from the terminal, with a progress bar."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from zhenjie.conftest import resident_id
from zhenjie.personnel.models import Person

from .sheets import PERSON_HEADER, person_row, xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def people_file(tmp_path):
    path = tmp_path / "人员.xlsx"
    rows = [person_row(f"人员{i}", resident_id(dt.date(1990, 1, 1), i)) for i in range(1, 4)]
    path.write_bytes(xlsx([PERSON_HEADER, *rows]))
    return path


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("import_register", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_check_only_by_default(staffing_officer, quota, people_file, row_counts):
    # given a file of three people
    before = row_counts()

    # when the command runs without --commit
    out, err = run("persons", str(people_file), "--user", "bianban")

    # then it reports the check with a progress bar and writes nothing
    assert out.strip() == (
        "检查通过, 尚未写入任何数据。共3行: 新增3条, 更新0条, 无变化0条; 其中入编3人, 安排岗位3人。请确认导入。"
    )
    assert "[" in err and "校验" in err
    assert row_counts() == before


def test_commit_writes_and_shows_progress(staffing_officer, quota, people_file):
    # when the command runs with --commit
    out, err = run("persons", str(people_file), "--commit", "--user", "bianban")

    # then the people are imported and the bar reached 100%
    assert out.strip().startswith("导入完成。共3行: 新增3条")
    assert err.splitlines()[-1].startswith("[##############################] 100%  3/3")
    assert Person.objects.count() == 3


def test_problems_are_listed_and_nothing_is_written(staffing_officer, quota, tmp_path, row_counts):
    # given a file with a bad ID number
    path = tmp_path / "人员.xlsx"
    path.write_bytes(xlsx([PERSON_HEADER, person_row("张三", "1522")]))
    before = row_counts()

    # when it is imported with --commit
    with pytest.raises(CommandError) as exc:
        run("persons", str(path), "--commit", "--user", "bianban")

    # then the command fails and nothing is written
    assert str(exc.value) == "文件有问题, 未写入任何数据"
    assert row_counts() == before


def test_an_unreadable_file_and_an_unknown_user_are_refused(staffing_officer, tmp_path):
    # given an empty file
    path = tmp_path / "x.csv"
    path.write_bytes(b"")

    # when it is imported, then the command says why; so it does for an unknown user
    with pytest.raises(CommandError) as exc:
        run("persons", str(path), "--user", "bianban")
    assert str(exc.value) == "文件是空的, 没有任何内容"
    with pytest.raises(CommandError) as exc:
        run("persons", str(path), "--user", "nobody")
    assert str(exc.value) == "没有用户 nobody"
