"""Small spreadsheets built in memory for the tests: .xlsx, .ods and CSV."""

import csv
import io
import re
import zipfile
from collections.abc import Sequence
from typing import Any
from xml.sax.saxutils import escape

import openpyxl

PERSON_HEADER = [
    "姓名",
    "身份证号码",
    "民族",
    "学历",
    "联系电话",
    "编制所在机构",
    "编制类型",
    "进入形式",
    "入编日期",
    "入编文号",
    "实际工作机构",
    "岗位/职务",
    "任职日期",
]


def person_row(
    name: str,
    id_number: Any,
    *,
    unit: str = "天池镇",
    quota_type: str = "行政编制",
    channel: str = "公务员考录",
    start: Any = "2024-03-01",
    post_unit: str = "",
    title: str = "科员",
    post_start: Any = "",
    phone: str = "13800138000",
    education: str = "大学本科",
    ethnicity: str = "汉族",
    doc_no: str = "阿人社发〔2024〕3号",
) -> list[Any]:
    return [
        name,
        id_number,
        ethnicity,
        education,
        phone,
        unit,
        quota_type,
        channel,
        start,
        doc_no,
        post_unit,
        title,
        post_start,
    ]


def xlsx(
    rows: Sequence[Sequence[Any]],
    *,
    merges: Sequence[str] = (),
    cached: dict[str, Any] | None = None,
) -> bytes:
    """An .xlsx file; ``cached`` gives formula cells (by reference) a cached value."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Sheet1"
    for row in rows:
        sheet.append(list(row))
    for merge in merges:
        sheet.merge_cells(merge)
    buffer = io.BytesIO()
    workbook.save(buffer)
    data = buffer.getvalue()
    if cached:
        data = _with_cached_values(data, cached)
    return data


def _with_cached_values(data: bytes, cached: dict[str, Any]) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = content.decode()
                for ref, value in cached.items():
                    text = re.sub(
                        rf'(<c r="{ref}"[^>]*>)(<f>[^<]*</f>)<v\s*/>',
                        rf"\1\2<v>{value}</v>",
                        text,
                    )
                content = text.encode()
            target.writestr(item, content)
    return out.getvalue()


def csv_bytes(rows: Sequence[Sequence[Any]], encoding: str = "utf-8-sig") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode(encoding)


def ods(rows: Sequence[Sequence[Any]]) -> bytes:
    """A minimal OpenDocument spreadsheet (text cells only)."""
    body = "".join(
        "<table:table-row>"
        + "".join(
            f'<table:table-cell office:value-type="string"><text:p>{escape(str(v))}</text:p>'
            "</table:table-cell>"
            for v in row
        )
        + "</table:table-row>"
        for row in rows
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="人员">{body}'
        "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"'
        ' manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/"'
        ' manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet"
        )
        archive.writestr("META-INF/manifest.xml", manifest)
        archive.writestr("content.xml", content)
    return out.getvalue()


def read_xlsx(data: bytes) -> list[list[Any]]:
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    return [list(r) for r in workbook.worksheets[0].iter_rows(values_only=True)]
