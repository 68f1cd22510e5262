#!/usr/bin/env python
"""Benchmark: import 100,000 real-name register rows (实名制人员) with full validation.

One command (from the project root):

    .venv/bin/python bench/import_persons.py            # 100,000 rows, SQLite and PostgreSQL
    .venv/bin/python bench/import_persons.py --rows 20000 --skip-postgres

It generates valid person rows (GB 11643 ID numbers, units, quota types, entry channels, dates,
posts) as CSV and XLSX in a temporary directory, seeds a county with enough quota, and measures
in a fresh process each (so peak memory is per measurement):

* zhenjie's importer (the commit path of the import job: parse, validate every row, check quota
  in aggregate, bulk insert people, enrolments, posts and their history) from CSV and XLSX, on
  SQLite and on PostgreSQL; the same CSV imported a second time (every row unchanged: the round
  trip at scale); and a CSV of the person details only, which writes the same single model as
  the two comparisons below;
* PostgreSQL COPY of the same person rows into the same indexed table (the physical floor), and
  COPY of every row the importer writes (people, enrolments, posts and their history);
* django-import-export on the same Person model (ModelResource keyed by ID number, with model
  validation, GB 11643 check and choice labels in before_import_row; its default row-by-row
  save, which also writes the history record through django-simple-history's signal).

PostgreSQL: postgres://postgres@127.0.0.1:5432/zhenjie_bench (trust auth); the benchmark creates
and drops that database (and zhenjie_bench_template). Results go to stdout as a Markdown table
and to results.json in the temporary directory. See docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import platform
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
PG_BENCH = "postgres://postgres@127.0.0.1:5432/zhenjie_bench"
PG_TEMPLATE_NAME = "zhenjie_bench_template"
TOWNS = 10
ESTABLISHED = dt.date(1980, 1, 1)
APPROVED = dt.date(1985, 1, 1)

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志文斌辉鹏飞宇浩然博雪梅琳晨阳欣怡子涵思远海波"
ETHNIC = ["汉族", "汉族", "汉族", "蒙古族", "满族", "达斡尔族", "鄂温克族", "回族"]
EDUCATION = ["大学本科", "大学本科", "大学专科", "硕士研究生", "中专及以下"]
POLITICAL = ["中共党员", "群众", "共青团员", "中共预备党员"]
CHANNELS = ["公务员考录", "选调生", "事业单位公开招聘", "军转安置", "调任调入", "三支一扶转聘"]
MAJORS = ["汉语言文学", "法学", "会计学", "农学", "计算机科学与技术", "林学", "行政管理", ""]
HEADER = [
    "姓名",
    "身份证号码",
    "民族",
    "学历",
    "所学专业",
    "政治面貌",
    "联系电话",
    "编制所在机构",
    "编制类型",
    "进入形式",
    "入编日期",
    "入编文号",
    "实际工作机构",
    "岗位/职务",
    "任职日期",
    "备注",
]
# The person's own details: what django-import-export and the COPY floor write (one model).
DETAIL_HEADER = ["姓名", "身份证号码", "民族", "学历", "所学专业", "政治面貌", "联系电话", "备注"]
WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CHECK = "10X98765432"


# --------------------------------------------------------------------------------------------
# Data
# --------------------------------------------------------------------------------------------


def town_names() -> list[str]:
    return [f"第{i + 1}镇" for i in range(TOWNS)]


def generate(rows: int, seed: int = 2026) -> list[list[Any]]:
    """Valid person rows spread over the towns (行政编制) and their centers (事业编制)."""
    rng = random.Random(seed)
    seen: set[str] = set()
    out: list[list[Any]] = []
    towns = town_names()
    while len(out) < rows:
        born = dt.date(1965, 1, 1) + dt.timedelta(days=rng.randrange(365 * 38))
        body = f"152202{born:%Y%m%d}{rng.randrange(1000):03d}"
        number = body + CHECK[sum(int(d) * w for d, w in zip(body, WEIGHTS, strict=True)) % 11]
        if number in seen:
            continue
        seen.add(number)
        town = towns[len(out) % TOWNS]
        on_quota = (len(out) // TOWNS) % 2
        unit = town if on_quota == 0 else f"{town}综合保障和技术推广中心"
        quota_type = "行政编制" if on_quota == 0 else "事业编制"
        earliest = max(born + dt.timedelta(days=18 * 366), dt.date(1990, 1, 1))
        start = earliest + dt.timedelta(
            days=rng.randrange(max(1, (dt.date(2024, 12, 31) - earliest).days))
        )
        out.append(
            [
                rng.choice(SURNAMES)
                + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2)))),
                number,
                rng.choice(ETHNIC),
                rng.choice(EDUCATION),
                rng.choice(MAJORS),
                rng.choice(POLITICAL),
                f"1{rng.choice('3578')}{rng.randrange(10**9):09d}",
                unit,
                quota_type,
                rng.choice(CHANNELS),
                start,
                f"阿人社发〔{start.year}〕{rng.randrange(1, 99)}号",
                unit,
                rng.choice(("科员", "专业技术人员", "综合文秘", "工作人员")),
                start,
                "",
            ]
        )
    return out


def write_files(rows: list[list[Any]], folder: Path) -> tuple[Path, Path, Path]:
    from openpyxl import Workbook

    csv_path = folder / "persons.csv"
    with csv_path.open("w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(HEADER)
        for row in rows:
            writer.writerow([v.isoformat() if isinstance(v, dt.date) else v for v in row])
    details_path = folder / "person_details.csv"
    keep = [HEADER.index(h) for h in DETAIL_HEADER]
    with details_path.open("w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(DETAIL_HEADER)
        for row in rows:
            writer.writerow([row[i] for i in keep])
    xlsx_path = folder / "persons.xlsx"
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("实名制人员")
    sheet.append(["阿尔山市实名制人员名册(基准测试)"])
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    workbook.save(xlsx_path)
    return csv_path, xlsx_path, details_path


# --------------------------------------------------------------------------------------------
# Workers (each runs in its own process against a fresh copy of the seeded database)
# --------------------------------------------------------------------------------------------


def django_setup(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def seed() -> None:
    """A county with TOWNS towns and their centers, each with 7,000 places, and the importer."""
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from zhenjie.accounts.models import User
    from zhenjie.core.roles import Role
    from zhenjie.organizations.choices import DivisionLevel, UnitKind
    from zhenjie.organizations.services import division_create, unit_create
    from zhenjie.staffing.models import QuotaType
    from zhenjie.staffing.services import quota_movement_record

    root = User.objects.create_superuser("bench-root", password="x")
    province = division_create(code="15", name="内蒙古自治区", level=DivisionLevel.PROVINCE)
    prefecture = division_create(
        code="1522", name="兴安盟", level=DivisionLevel.PREFECTURE, parent=province
    )
    county_div = division_create(
        code="152202", name="阿尔山市", level=DivisionLevel.COUNTY, parent=prefecture
    )

    def unit(name: str, kind: str, parent: Any, **extra: Any) -> Any:
        return unit_create(
            actor=root, name=name, kind=kind, parent=parent, established_on=ESTABLISHED, **extra
        )

    top = unit("内蒙古自治区", UnitKind.PROVINCE, None, division=province)
    league = unit("兴安盟", UnitKind.PREFECTURE, top, division=prefecture)
    county = unit("阿尔山市", UnitKind.COUNTY, league, division=county_div)
    officer = User.objects.create_user(
        "bench", password="x", role=Role.STAFFING_OFFICE, unit=county
    )
    types = {t.code: t for t in QuotaType.objects.all()}
    for i, name in enumerate(town_names()):
        division = division_create(
            code=f"152202{100 + i}", name=name, level=DivisionLevel.TOWN, parent=county_div
        )
        town = unit(name, UnitKind.TOWN, county, division=division)
        center = unit(f"{name}综合保障和技术推广中心", UnitKind.CENTER, town)
        for place, quota_type in ((town, types["administrative"]), (center, types["institution"])):
            quota_movement_record(
                actor=officer,
                unit=place,
                quota_type=quota_type,
                kind="approve",
                amount=7000,
                doc_no="阿机编发〔1985〕1号",
                effective_on=APPROVED,
            )


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_ours(path: Path) -> dict[str, Any]:
    """The commit path of the import job, exactly as the worker runs it."""
    from zhenjie.accounts.models import User
    from zhenjie.exchange.registers import get_register
    from zhenjie.exchange.services import import_run
    from zhenjie.personnel.models import Enrolment, Person, PostAssignment

    user = User.objects.get(username="bench")
    stages: list[tuple[str, float]] = []

    def progress(done: int, total: int | None = None, stage: str | None = None) -> None:
        if stage:
            stages.append((stage, time.perf_counter()))

    baseline = peak_rss_mb()
    start = time.perf_counter()
    data = path.read_bytes()
    result = import_run(
        register=get_register("persons"),
        actor=user,
        data=data,
        mapping=None,
        commit=True,
        progress=progress,
    )
    seconds = time.perf_counter() - start
    if result["error_count"]:
        raise SystemExit(f"benchmark rows were refused: {result['errors'][:5]}")
    marks = [*stages, ("end", start + seconds)]
    phases = {name: round(marks[i + 1][1] - at, 2) for i, (name, at) in enumerate(marks[:-1])}
    return {
        "seconds": seconds,
        "rows": result["counts"]["rows"],
        "phases": phases,
        "peak_rss_mb": peak_rss_mb(),
        "baseline_rss_mb": baseline,
        "written": {
            "persons": Person.objects.count(),
            "enrolments": Enrolment.objects.count(),
            "posts": PostAssignment.objects.count(),
            "history": Person.history.count()
            + Enrolment.history.count()
            + PostAssignment.history.count(),
        },
    }


def run_dje(path: Path, limit: int) -> dict[str, Any]:
    """django-import-export on the same Person model, with validation, as it is usually set up."""
    import tablib
    from import_export import fields, resources

    from zhenjie.core.validators import parse_resident_id
    from zhenjie.personnel.choices import Education, PoliticalStatus
    from zhenjie.personnel.models import Person

    education = {str(label): value for value, label in Education.choices}
    political = {str(label): value for value, label in PoliticalStatus.choices}

    class PersonResource(resources.ModelResource):
        name = fields.Field(attribute="name", column_name="姓名")
        id_number = fields.Field(attribute="id_number", column_name="身份证号码")
        gender = fields.Field(attribute="gender", column_name="gender")
        birth_date = fields.Field(attribute="birth_date", column_name="birth_date")
        ethnicity = fields.Field(attribute="ethnicity", column_name="民族")
        education = fields.Field(attribute="education", column_name="学历")
        major = fields.Field(attribute="major", column_name="所学专业")
        political_status = fields.Field(attribute="political_status", column_name="政治面貌")
        phone = fields.Field(attribute="phone", column_name="联系电话")
        notes = fields.Field(attribute="notes", column_name="备注")

        class Meta:
            model = Person
            import_id_fields = ("id_number",)
            fields = (
                "name",
                "id_number",
                "gender",
                "birth_date",
                "ethnicity",
                "education",
                "major",
                "political_status",
                "phone",
                "notes",
            )
            clean_model_instances = True

        def before_import_row(self, row: Any, **kwargs: Any) -> None:
            facts = parse_resident_id(row["身份证号码"])
            row["身份证号码"] = facts.number
            row["gender"] = facts.gender
            row["birth_date"] = facts.birth_date.isoformat()
            row["学历"] = education.get(row["学历"], "")
            row["政治面貌"] = political.get(row["政治面貌"], "")

    with path.open(encoding="utf-8-sig") as stream:
        lines = [next(stream) for _ in range(limit + 1)]
    baseline = peak_rss_mb()
    start = time.perf_counter()
    dataset = tablib.Dataset().load("".join(lines), format="csv")
    result = PersonResource().import_data(
        dataset, dry_run=False, raise_errors=True, use_transactions=True
    )
    seconds = time.perf_counter() - start
    if result.has_errors() or result.has_validation_errors():
        raise SystemExit("django-import-export refused benchmark rows")
    return {
        "seconds": seconds,
        "rows": limit,
        "peak_rss_mb": peak_rss_mb(),
        "baseline_rss_mb": baseline,
        "written": {"persons": Person.objects.count(), "history": Person.history.count()},
    }


def run_copy(path: Path, mode: str) -> dict[str, Any]:
    """PostgreSQL COPY of the rows (prepared in memory first: only the COPY is timed).

    ``mode``: "person" (the person rows), "details" (and their history records, what an
    import of person details writes) or "all" (the six tables a full register import writes).
    """
    from django.db import connection
    from django.utils import timezone

    from zhenjie.accounts.models import User
    from zhenjie.core.validators import parse_resident_id
    from zhenjie.organizations.models import Unit
    from zhenjie.personnel.choices import Education, EntryChannel, PoliticalStatus
    from zhenjie.personnel.models import Enrolment, Person, PostAssignment
    from zhenjie.staffing.models import QuotaType

    education = {str(label): value for value, label in Education.choices}
    political = {str(label): value for value, label in PoliticalStatus.choices}
    channels = {str(label): value for value, label in EntryChannel.choices}
    units = dict(Unit.objects.values_list("name", "pk"))
    types = dict(QuotaType.objects.values_list("name", "pk"))
    user = User.objects.get(username="bench").pk
    now = timezone.now()
    people, enrolments, posts = [], [], []
    with path.open(encoding="utf-8-sig", newline="") as stream:
        reader = csv.reader(stream)
        next(reader)
        for pk, row in enumerate(reader, start=1):
            facts = parse_resident_id(row[1])
            people.append(
                (
                    pk,
                    row[0],
                    facts.number,
                    facts.gender,
                    facts.birth_date,
                    row[2],
                    education[row[3]],
                    row[4],
                    political[row[5]],
                    row[6],
                    row[15],
                    user,
                    now,
                    now,
                )
            )
            start = dt.date.fromisoformat(row[10])
            enrolments.append(
                (
                    pk,
                    pk,
                    units[row[7]],
                    types[row[8]],
                    channels[row[9]],
                    row[11],
                    start,
                    None,
                    "",
                    "",
                    None,
                    now,
                    now,
                )
            )
            posts.append(
                (pk, pk, units[row[12]], row[13], "main", False, "", start, None, "", now, now)
            )
    person_cols = [
        "id",
        "name",
        "id_number",
        "gender",
        "birth_date",
        "ethnicity",
        "education",
        "major",
        "political_status",
        "phone",
        "notes",
        "created_by_id",
        "created_at",
        "updated_at",
    ]
    enrol_cols = [
        "id",
        "person_id",
        "unit_id",
        "quota_type_id",
        "channel",
        "doc_no",
        "start_date",
        "end_date",
        "exit_reason",
        "exit_doc_no",
        "transfer_id",
        "created_at",
        "updated_at",
    ]
    post_cols = [
        "id",
        "person_id",
        "unit_id",
        "title",
        "kind",
        "is_leadership",
        "leadership_level",
        "start_date",
        "end_date",
        "doc_no",
        "created_at",
        "updated_at",
    ]
    history = ["history_date", "history_change_reason", "history_type", "history_user_id"]
    tables: list[tuple[str, list[str], list[tuple[Any, ...]]]] = [
        (Person._meta.db_table, person_cols, people)
    ]

    def hist(rows: list[tuple[Any, ...]], cols: list[str]) -> list[tuple[Any, ...]]:
        # The history tables have no created_at/updated_at (excluded_fields).
        return [(*r[: len(cols) - 2], now, "批量导入", "+", user) for r in rows]

    if mode == "details":
        tables.append(
            (
                Person.history.model._meta.db_table,
                [*person_cols[:-2], *history],
                hist(people, person_cols),
            )
        )
    if mode == "all":
        tables += [
            (Enrolment._meta.db_table, enrol_cols, enrolments),
            (PostAssignment._meta.db_table, post_cols, posts),
            (
                Person.history.model._meta.db_table,
                [*person_cols[:-2], *history],
                hist(people, person_cols),
            ),
            (
                Enrolment.history.model._meta.db_table,
                [*enrol_cols[:-2], *history],
                hist(enrolments, enrol_cols),
            ),
            (
                PostAssignment.history.model._meta.db_table,
                [*post_cols[:-2], *history],
                hist(posts, post_cols),
            ),
        ]
    baseline = peak_rss_mb()
    start = time.perf_counter()
    with connection.cursor() as cursor:
        raw = cursor.cursor
        for table, cols, rows in tables:
            with raw.copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
    seconds = time.perf_counter() - start
    return {
        "seconds": seconds,
        "rows": len(people),
        "peak_rss_mb": peak_rss_mb(),
        "baseline_rss_mb": baseline,
        "written": {table: len(rows) for table, _cols, rows in tables},
    }


def worker(args: argparse.Namespace) -> None:
    django_setup(args.database)
    if args.worker == "seed":
        seed()
        return
    path = Path(args.file)
    if args.worker == "ours":
        result = run_ours(path)
    elif args.worker == "dje":
        result = run_dje(path, args.limit)
    else:
        result = run_copy(
            path, {"copy": "person", "copy-details": "details"}.get(args.worker, "all")
        )
    print("RESULT " + json.dumps(result))


# --------------------------------------------------------------------------------------------
# Orchestration
# --------------------------------------------------------------------------------------------


def psql(sql: str) -> None:
    subprocess.run(
        ["psql", PG_ADMIN, "-q", "-v", "ON_ERROR_STOP=1", "-c", sql],
        check=True,
        capture_output=True,
    )


class Database:
    """A seeded template and a fresh copy of it for each measurement."""

    def __init__(self, kind: str, folder: Path) -> None:
        self.kind, self.folder = kind, folder
        if kind == "sqlite":
            self.template = folder / "template.sqlite3"
            self.url = f"sqlite:///{folder / 'bench.sqlite3'}"
            spawn(["--worker", "seed", "--database", f"sqlite:///{self.template}"])
        else:
            psql("DROP DATABASE IF EXISTS zhenjie_bench")
            psql(f"DROP DATABASE IF EXISTS {PG_TEMPLATE_NAME}")
            psql(f"CREATE DATABASE {PG_TEMPLATE_NAME}")
            spawn(
                [
                    "--worker",
                    "seed",
                    "--database",
                    PG_BENCH.replace("zhenjie_bench", PG_TEMPLATE_NAME),
                ]
            )
            self.url = PG_BENCH

    def fresh(self) -> str:
        if self.kind == "sqlite":
            shutil.copyfile(self.template, self.folder / "bench.sqlite3")
        else:
            psql("DROP DATABASE IF EXISTS zhenjie_bench")
            psql(f"CREATE DATABASE zhenjie_bench TEMPLATE {PG_TEMPLATE_NAME}")
        return self.url

    def drop(self) -> None:
        if self.kind == "postgres":
            psql("DROP DATABASE IF EXISTS zhenjie_bench")
            psql(f"DROP DATABASE IF EXISTS {PG_TEMPLATE_NAME}")


def spawn(arguments: list[str]) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, __file__, *arguments], cwd=ROOT, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise SystemExit(f"worker {' '.join(arguments)} failed:\n{done.stdout}\n{done.stderr}")
    for line in done.stdout.splitlines():
        if line.startswith("RESULT "):
            return dict(json.loads(line[7:]))
    return {}


def machine() -> str:
    cpu = platform.processor() or "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3
    return f"{cpu}, {os.cpu_count()} CPUs, {memory:.0f} GB RAM, {platform.system()} {platform.release()}, Python {platform.python_version()}"


def postgres_version() -> str:
    done = subprocess.run(
        ["psql", PG_ADMIN, "-tAc", "SHOW server_version"], capture_output=True, text=True
    )
    return done.stdout.strip() or "?"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument(
        "--dje-rows", type=int, default=100_000, help="rows given to django-import-export"
    )
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--skip-dje", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--database", help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    parser.add_argument("--limit", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args)
        return

    folder = Path(tempfile.mkdtemp(prefix="zhenjie-bench-"))
    print(f"# {args.rows} rows in {folder}", flush=True)
    started = time.perf_counter()
    csv_path, xlsx_path, details_path = write_files(generate(args.rows), folder)
    print(
        f"generated in {time.perf_counter() - started:.1f}s: CSV {csv_path.stat().st_size / 1e6:.1f} MB, "
        f"XLSX {xlsx_path.stat().st_size / 1e6:.1f} MB",
        flush=True,
    )
    results: list[dict[str, Any]] = []
    backends = ["sqlite"] if args.skip_postgres else ["sqlite", "postgres"]
    dje_rows = str(min(args.dje_rows, args.rows))
    try:
        for backend in backends:
            db = Database(backend, folder)
            # (key, label, worker arguments, start from a fresh database?)
            plan: list[tuple[str, str, list[str], bool]] = [
                ("ours-csv", "zhenjie importer, CSV", ["ours", str(csv_path)], True),
                (
                    "ours-again",
                    "zhenjie importer, same CSV again (all unchanged)",
                    ["ours", str(csv_path)],
                    False,
                ),
                ("ours-xlsx", "zhenjie importer, XLSX", ["ours", str(xlsx_path)], True),
                (
                    "ours-details",
                    "zhenjie importer, person details only, CSV",
                    ["ours", str(details_path)],
                    True,
                ),
            ]
            if not args.skip_dje:
                plan.append(
                    (
                        "dje",
                        f"django-import-export, person details, CSV ({dje_rows} rows)",
                        ["dje", str(csv_path), dje_rows],
                        True,
                    )
                )
            if backend == "postgres":
                plan += [
                    ("copy", "COPY person rows (floor)", ["copy", str(csv_path)], True),
                    (
                        "copy-details",
                        "COPY person rows and their history",
                        ["copy-details", str(csv_path)],
                        True,
                    ),
                    (
                        "copy-all",
                        "COPY everything the importer writes (6 tables)",
                        ["copy-all", str(csv_path)],
                        True,
                    ),
                ]
            url = db.url
            for key, label, (kind, path, *rest), fresh in plan:
                if fresh:
                    url = db.fresh()
                command = ["--worker", kind, "--database", url, "--file", path]
                if rest:
                    command += ["--limit", rest[0]]
                outcome = spawn(command)
                outcome.update(
                    backend=backend, key=key, label=label, rate=outcome["rows"] / outcome["seconds"]
                )
                results.append(outcome)
                print(
                    f"{backend:9} {label:55} {outcome['seconds']:8.2f}s {outcome['rate']:10.0f} rows/s "
                    f"peak RSS {outcome['peak_rss_mb']:.0f} MB {outcome.get('phases', '')}",
                    flush=True,
                )
            db.drop()
    finally:
        (folder / "results.json").write_text(json.dumps(results, indent=1, ensure_ascii=False))
    report(results)
    if not args.keep:
        shutil.rmtree(folder, ignore_errors=True)


def report(results: list[dict[str, Any]]) -> None:
    print()
    print(f"Machine: {machine()}; PostgreSQL {postgres_version()}; {dt.date.today()}")
    print()
    print("| database | method | rows | seconds | rows/s | peak RSS (MB) |")
    print("|---|---|---:|---:|---:|---:|")
    for r in results:
        print(
            f"| {r['backend']} | {r['label']} | {r['rows']:,} | {r['seconds']:.2f} | "
            f"{r['rate']:,.0f} | {r['peak_rss_mb']:.0f} |"
        )
    print()
    by = {(r["backend"], r["key"]): r for r in results}
    for (backend, key), r in by.items():
        if not key.startswith("ours"):
            continue
        parts = [f"peak RSS {r['peak_rss_mb']:.0f} MB (target < 500)"]
        if key == "ours-again":
            # Nothing is written: only the memory of a round trip at scale is of interest.
            print(f"{backend} {r['label']}: " + "; ".join(parts))
            continue
        if (dje := by.get((backend, "dje"))) is not None:
            parts.append(f"{r['rate'] / dje['rate']:.1f}x django-import-export (target >= 10x)")
        if (copy := by.get((backend, "copy"))) is not None:
            parts.append(f"{r['seconds'] / copy['seconds']:.1f}x the time of COPY (target <= 5x)")
        if key == "ours-details" and (copy_details := by.get((backend, "copy-details"))):
            parts.append(
                f"{r['seconds'] / copy_details['seconds']:.1f}x the time of COPY of the same "
                "rows with their history"
            )
        if key != "ours-details" and (copy_all := by.get((backend, "copy-all"))) is not None:
            parts.append(
                f"{r['seconds'] / copy_all['seconds']:.1f}x the time of COPY of all its rows"
            )
        print(f"{backend} {r['label']}: " + "; ".join(parts))


if __name__ == "__main__":
    main()
