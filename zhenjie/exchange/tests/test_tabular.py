"""The tabular engine: tolerant values, header detection, readers and writers (no database)."""

import datetime as dt
import io
import zipfile
from typing import Any

import openpyxl
import pytest

from zhenjie.exchange.tabular import (
    CellError,
    Column,
    ColumnKind,
    Layout,
    Table,
    TableError,
    clean_name,
    clean_text,
    parse_date,
    parse_int,
    write_csv,
    write_template,
    write_xlsx,
)

from .sheets import csv_bytes, ods, xlsx

APRIL_13 = dt.date(2023, 4, 13)

LAYOUT = Layout(
    title="测试",
    key=("code",),
    columns=(
        Column("name", "姓名", required=True, synonyms=("人员姓名",), is_name=True),
        Column("code", "身份证号码", required=True, synonyms=("身份证号",), is_code=True),
        Column("day", "入编日期", ColumnKind.DATE, synonyms=("入编时间",)),
        Column("count", "人数", ColumnKind.INT),
        Column(
            "level",
            "学历",
            ColumnKind.CHOICE,
            choices=(("bachelor", "大学本科"), ("master", "硕士研究生")),
            aliases={"本科": "bachelor"},
        ),
    ),
)


def records(data: bytes, mapping: dict[str, int] | None = None) -> list[tuple[int, dict]]:
    table = Table(data, LAYOUT, mapping)
    return [(r.row, r.cells) for r in table.records()]


@pytest.mark.parametrize(
    "raw",
    [
        "2023年4月13日",
        "2023.4.13",
        "2023/4/13",
        "2023-04-13",
        "20230413",
        "２０２３－０４－１３",
        " 2023 年 4 月 13 日 ",
        "2023-04-13 00:00:00",
        45029,
        45029.0,
        "45029",
        APRIL_13,
        dt.datetime(2023, 4, 13, 0, 0),
    ],
)
def test_dates_in_every_usual_spelling(raw):
    # when a date cell is read, then it is 13 April 2023 whatever its spelling
    assert parse_date(raw) == APRIL_13


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("2023-02-30", "“2023-02-30”不是有效的日期"),
        ("2023.04", "“2023.04”缺少日, 请写成 2023-04-13 或 2023年4月13日"),
        ("去年", "“去年”不是有效的日期, 请写成 2023-04-13 或 2023年4月13日"),
        (-3, "“-3”不是有效的日期, 请写成 2023-04-13 或 2023年4月13日"),
    ],
)
def test_bad_dates_are_named(raw, message):
    # when a cell that is no date is read, then the message quotes it and says what is wrong
    with pytest.raises(CellError) as exc:
        parse_date(raw)
    assert str(exc.value) == message


@pytest.mark.parametrize("raw", ["12", "１２", " 12 ", "12.0", 12.0, 12, "12名", "1,2"])
def test_integers_stored_as_text_or_number(raw):
    # when a number cell or number-as-text is read, then it is the integer 12
    assert parse_int(raw) == 12


def test_a_fraction_is_not_an_integer():
    # when a fraction is read where an integer belongs, then it is refused by name
    with pytest.raises(CellError) as exc:
        parse_int("3.5")
    assert str(exc.value) == "“3.5”不是整数"


def test_text_cells_are_trimmed_and_numbers_lose_a_spurious_decimal():
    # when cells are read as text, then numbers lose ".0", blanks (full-width, zero-width) go,
    # the CSV injection guard is dropped and spaces padding a Chinese name are removed
    assert clean_text(13800138000.0) == "13800138000"
    assert clean_text("\u3000张三\u00a0\u200b") == "张三"
    assert clean_text("'=1+1") == "=1+1"
    assert clean_name("张  三") == "张三"
    assert clean_name("Li Lei") == "Li Lei"


def test_header_below_merged_title_rows_with_synonyms_and_full_width():
    # given a county sheet: a merged title, a blank row, then the header with synonyms,
    # full-width brackets and a required-star
    data = xlsx(
        [
            ["阿尔山市实名制人员名册"],
            [],
            ["序号", "*人员姓名", "身份证号（18位）", "入编时间", "学历"],
            [1, "张  三", "１５２２０２１９９８０５２０００１１", "2023.4.13", "本科"],
        ],
        merges=["A1:E1"],
    )

    # when it is read
    table = Table(data, LAYOUT)
    rows = list(table.records())

    # then the header is found on row 3 and the cells come out cleaned
    assert table.header.row == 3
    assert table.header.ignored == ["序号"]
    assert [r.row for r in rows] == [4]
    values, problems = LAYOUT.parse(rows[0], {})
    assert problems == []
    assert values == {
        "name": "张三",
        "code": "152202199805200011",
        "day": APRIL_13,
        "count": None,
        "level": "bachelor",
    }


def test_a_required_column_missing_from_the_header_is_reported():
    # given a header without the ID number column
    data = csv_bytes([["姓名", "入编日期"], ["张三", "2023-04-13"]])

    # when it is read
    table = Table(data, LAYOUT)

    # then the required column is missing (the mapping step asks for it)
    assert [c.header for c in table.header.missing] == ["身份证号码"]


def test_manual_mapping_names_the_column_the_header_did_not():
    # given a header the engine does not know ("证件")
    data = csv_bytes([["姓名", "证件"], ["张三", "152202199805200011"]])

    # when the user maps 身份证号码 to the second column
    rows = records(data, {"code": 1})

    # then the value is read from there
    assert rows == [(2, {"name": "张三", "code": "152202199805200011"})]


def test_merged_cells_fill_down():
    # given a value merged over two people's rows
    data = xlsx(
        [["姓名", "身份证号码", "学历"], ["张三", "1", "大学本科"], ["李四", "2", ""]],
        merges=["C2:C3"],
    )

    # when the rows are read, then both carry it
    assert [cells["level"] for _row, cells in records(data)] == ["大学本科", "大学本科"]


def test_footer_rows_and_blank_rows_are_skipped():
    # given a blank row and the usual footer lines below the data
    data = csv_bytes(
        [["姓名", "身份证号码"], ["张三", "1"], ["", ""], ["填表人: 王五", ""], ["合计", ""]]
    )

    # when the rows are read, then only the person's row remains
    assert [row for row, _cells in records(data)] == [2]


def test_csv_in_gbk_reads_like_utf8():
    # given the same rows saved as GBK, UTF-8 with BOM and UTF-8 without
    rows = [["姓名", "身份证号码"], ["张三", "152202199805200011"]]

    # when they are read, then they read the same
    assert records(csv_bytes(rows, "gbk")) == records(csv_bytes(rows, "utf-8-sig"))
    assert records(csv_bytes(rows, "utf-8")) == [
        (2, {"name": "张三", "code": "152202199805200011"})
    ]


def test_ods_is_read():
    # given an OpenDocument spreadsheet
    data = ods([["姓名", "身份证号码"], ["张三", "152202199805200011"]])

    # when it is read, then its rows come out as from .xlsx
    assert records(data) == [(2, {"name": "张三", "code": "152202199805200011"})]


def test_formula_cells_use_their_cached_value_and_an_uncalculated_one_is_an_error():
    # given two formula cells, one saved with its result and one without
    data = xlsx(
        [["姓名", "身份证号码", "人数"], ["张三", "1", "=1+2"], ["李四", "2", "=1+3"]],
        cached={"C2": 3},
    )

    # when the rows are parsed
    table = Table(data, LAYOUT)
    parsed = [LAYOUT.parse(r, {}) for r in table.records()]

    # then the cached value is used, and the other cell is reported
    assert parsed[0] == ({**parsed[0][0], "count": 3}, [])
    assert parsed[1][0]["count"] is None
    assert [(p.row, p.column, p.message) for p in parsed[1][1]] == [
        (3, "人数", "该单元格是公式但没有计算结果, 请在 Excel 中重新计算并保存后再导入")
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "文件是空的, 没有任何内容"),
        (
            bytes(range(256)) * 8,
            "文件不是可识别的表格(含有二进制内容); 请上传 .xlsx、.xls、.ods 或 .csv 文件",
        ),
        (b"%PDF-1.4 ...", "这是 PDF 文件, 不是表格; 请上传 .xlsx、.xls、.ods 或 .csv 文件"),
        (b"PK\x03\x04garbage", "文件已损坏, 无法打开; 请上传 .xlsx、.xls、.ods 或 .csv 文件"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600,
            "文件已损坏或不是有效的 Excel 文件; 请上传 .xlsx、.xls、.ods 或 .csv 文件",
        ),
        (b"   \n\n", "文件中没有数据"),
        (
            csv_bytes([["甲", "乙"], ["1", "2"]]),
            "文件前10行中没有可识别的表头; 表头行应包含“姓名、身份证号码”等列名",
        ),
    ],
    ids=["empty", "junk", "pdf", "broken-zip", "broken-xls", "blank", "no-header"],
)
def test_unreadable_files_are_refused_with_a_clear_message(data, message):
    # when a file that is no readable table is opened, then it is refused with a clear reason
    with pytest.raises(TableError) as exc:
        Table(data, LAYOUT)
    assert str(exc.value) == message


def test_a_word_document_is_not_a_spreadsheet():
    # given a Word document (a zip like .xlsx)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")

    # when it is opened, then it is refused as what it is
    with pytest.raises(TableError) as exc:
        Table(buffer.getvalue(), LAYOUT)
    assert str(exc.value) == "这是 Word 文档, 不是表格; 请上传 .xlsx、.xls、.ods 或 .csv 文件"


def test_an_xlsx_with_an_empty_first_sheet_is_read_from_the_next():
    # given a workbook whose first sheet is empty
    workbook = openpyxl.Workbook()
    workbook.active.title = "说明"
    data_sheet = workbook.create_sheet("人员")
    data_sheet.append(["姓名", "身份证号码"])
    data_sheet.append(["张三", "1"])
    buffer = io.BytesIO()
    workbook.save(buffer)

    # when it is read
    table = Table(buffer.getvalue(), LAYOUT)

    # then the data come from the next sheet
    assert table.sheet_name == "人员"
    assert [r.cells["name"] for r in table.records()] == ["张三"]


def test_written_xlsx_and_csv_read_back_the_same_values():
    # given rows with a date, a choice, a text that looks like a formula
    rows: list[list[Any]] = [
        ["张三", "152202199805200011", APRIL_13, 3, "bachelor"],
        ["=HYPERLINK(1)", "2", None, None, ""],
    ]

    # when they are written and read again
    for data in (
        write_xlsx(LAYOUT.columns, rows, sheet_title="测试", title="测试(共2条)"),
        write_csv(LAYOUT.columns, rows),
    ):
        table = Table(data, LAYOUT)
        parsed = [LAYOUT.parse(r, {})[0] for r in table.records()]

        # then every value survives, and the formula-looking text stays text
        assert parsed == [
            {
                "name": "张三",
                "code": "152202199805200011",
                "day": APRIL_13,
                "count": 3,
                "level": "bachelor",
            },
            {"name": "=HYPERLINK(1)", "code": "2", "day": None, "count": None, "level": ""},
        ]
    sheet = openpyxl.load_workbook(
        io.BytesIO(write_xlsx(LAYOUT.columns, rows, sheet_title="t"))
    ).active
    assert sheet["A3"].data_type == "s"


def test_template_has_a_comment_per_column_and_drop_down_lists():
    # when a template is written
    data = write_template(LAYOUT)

    # then each header has a comment and the choice column a drop-down list on a hidden sheet
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    sheet, lists = workbook.worksheets
    assert [c.value for c in sheet[1]] == ["*姓名", "*身份证号码", "入编日期", "人数", "学历"]
    assert sheet["A1"].comment.text == "姓名(必填)\n格式: 文本"
    assert (
        sheet["E1"].comment.text == "学历(选填)\n格式: 从下拉列表选择\n可选: 大学本科、硕士研究生"
    )
    assert lists.sheet_state == "hidden"
    assert [(str(v.sqref), v.formula1) for v in sheet.data_validations.dataValidation] == [
        ("E2:E2001", "'选项'!$A$2:$A$3")
    ]
    assert [r[0].value for r in lists.iter_rows()] == ["学历", "大学本科", "硕士研究生"]
    # and the template itself is accepted by the reader
    assert Table(data, LAYOUT).header.row == 1
