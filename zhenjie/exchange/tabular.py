"""A generic tabular engine: register layouts, tolerant readers and streaming writers.

Nothing here knows the domain. A :class:`Layout` lists the columns of one register (Chinese
header, synonyms, type, required flag); readers turn .xlsx/.xls/.ods (python-calamine) and CSV
(UTF-8 or GBK) into :class:`Record` objects one row at a time, after finding the header row
below any merged title rows; writers stream .xlsx (openpyxl write-only mode) and CSV (UTF-8 with
BOM, which Excel opens correctly).

Real county sheets are messy, so the readers tolerate full-width digits and letters, stray
spaces, dates written in the usual Chinese ways or as Excel serials, numbers stored as text,
merged cells (filled down) and formulas (their cached values; a formula without one is an error
for that cell).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import enum
import io
import re
import tempfile
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain, islice
from typing import Any, Protocol
from xml.etree import ElementTree

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from python_calamine import CalamineWorkbook, PasswordError, SheetTypeEnum, SheetVisibleEnum

# The header is looked for in this many rows from the top (title rows, notes, merged banners).
HEADER_SCAN_ROWS = 10
# Rows whose first filled cell starts like this (and whose key is empty) are sheet footers.
FOOTER_PREFIXES = (
    "合计",
    "总计",
    "小计",
    "填表人",
    "填报人",
    "制表人",
    "审核人",
    "负责人",
    "注:",
    "说明",
)
EXCEL_EPOCH = dt.date(1899, 12, 30)
# Excel's last date (9999-12-31) as a serial.
EXCEL_MAX_SERIAL = 2958465

SUPPORTED = "请上传 .xlsx、.xls、.ods 或 .csv 文件"


class TableError(Exception):
    """The file as a whole cannot be read; the message (Chinese) is shown to the user as is."""


class CellError(Exception):
    """One cell holds a value of the wrong shape; the message names the value."""


@dataclass(frozen=True)
class Problem:
    """One problem found in an import: spreadsheet row, column header and a Chinese message."""

    row: int | None
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


# ---------------------------------------------------------------------------------------------
# Normalising cell values
# ---------------------------------------------------------------------------------------------

# Zero-width characters go, odd spaces become plain ones (one translate table, one pass).
_TIDY: dict[int, str | None] = {
    **dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None),
    **dict.fromkeys(map(ord, "\u00a0\u3000\u2002\u2003\u2009"), " "),
}
_CJK = r"\u3400-\u9fff\uf900-\ufaff"
_CJK_GAP = re.compile(rf"(?<=[{_CJK}·])\s+(?=[{_CJK}·])")


def to_ascii(value: str) -> str:
    """Full-width digits, letters and punctuation to ASCII (NFKC), other characters kept."""
    return unicodedata.normalize("NFKC", value)


def clean_text(value: Any) -> str:
    """A cell as text: numbers without a spurious ``.0``, dates as ISO, blanks trimmed."""
    if type(value) is str:
        text = (value if value.isascii() else value.translate(_TIDY)).strip()
    elif value is None:
        return ""
    elif isinstance(value, bool):
        return "是" if value else "否"
    elif isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    elif isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    elif isinstance(value, dt.date):
        return value.isoformat()
    else:
        text = str(value).translate(_TIDY).strip()
    # An apostrophe guards against formula injection in exported CSV (see write_csv).
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@":
        text = text[1:]
    return text


def clean_name(value: Any) -> str:
    """A person's or unit's name: spaces used to pad two-character names are dropped."""
    return _CJK_GAP.sub("", clean_text(value))


def header_key(value: Any) -> str:
    """How headers are compared: full-width folded, blanks, stars and notes in brackets removed."""
    text = to_ascii(clean_text(value))
    text = re.sub(r"\s+", "", text)
    text = text.replace("*", "").replace("※", "")
    return text.casefold()


def _header_keys(value: Any) -> tuple[str, ...]:
    """A header with and without a bracketed note, e.g. “入编日期(年月日)” → both forms."""
    key = header_key(value)
    bare = re.sub(r"\([^()]*\)|\[[^\[\]]*\]|【[^【】]*】", "", key)
    return (key, bare) if bare and bare != key else (key,)


def lookup_key(value: Any) -> str:
    """How names are matched against the database: like headers but keeping bracketed parts."""
    return re.sub(r"\s+", "", to_ascii(clean_text(value))).casefold()


def parse_int(value: Any) -> int | None:
    """An integer from a number cell or text such as ``12``, ``１２``, ``12.0``, ``12名``."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise CellError(f"“{clean_text(value)}”不是整数")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise CellError(f"“{clean_text(value)}”不是整数")
    raw = clean_text(value)
    if not raw:
        return None
    text = re.sub(r"[\s,]", "", to_ascii(raw))
    text = re.sub(r"(名|人|个|职)$", "", text)
    match = re.fullmatch(r"([+-]?\d+)(\.0+)?", text)
    if not match:
        raise CellError(f"“{raw}”不是整数")
    return int(match.group(1))


_DATE_TEXT = re.compile(r"(\d{4})\s*[年./\-]\s*(\d{1,2})\s*[月./\-]\s*(\d{1,2})\s*日?")
_DATE_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_YEAR_MONTH = re.compile(r"(\d{4})\s*[年./\-]\s*(\d{1,2})\s*月?")
_TIME_SUFFIX = re.compile(r"[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")
DATE_HINT = "请写成 2023-04-13 或 2023年4月13日"


def _from_serial(serial: float, raw: Any) -> dt.date:
    if not 1 <= serial <= EXCEL_MAX_SERIAL:
        raise CellError(f"“{clean_text(raw)}”不是有效的日期, {DATE_HINT}")
    return EXCEL_EPOCH + dt.timedelta(days=int(serial))


def parse_date(value: Any) -> dt.date | None:
    """A date from a date cell, an Excel serial, or text such as 2023年4月13日, 2023.4.13,
    2023/4/13, 2023-04-13 or 20230413 (full-width digits allowed)."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        raise CellError(f"“{clean_text(value)}”不是有效的日期, {DATE_HINT}")
    if isinstance(value, int | float):
        return _from_serial(float(value), value)
    raw = clean_text(value)
    if not raw:
        return None
    if len(raw) == 10 and raw[4] == "-" and raw[7] == "-":
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            pass
    text = _TIME_SUFFIX.sub("", to_ascii(raw).strip())
    match = _DATE_TEXT.fullmatch(text) or _DATE_COMPACT.fullmatch(text)
    if match:
        try:
            return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError:
            raise CellError(f"“{raw}”不是有效的日期") from None
    if _YEAR_MONTH.fullmatch(text):
        raise CellError(f"“{raw}”缺少日, {DATE_HINT}")
    if re.fullmatch(r"\d{1,7}(\.\d+)?", text):
        # A date serial that was stored as text.
        return _from_serial(float(text), raw)
    raise CellError(f"“{raw}”不是有效的日期, {DATE_HINT}")


# ---------------------------------------------------------------------------------------------
# Layouts: the columns of a register
# ---------------------------------------------------------------------------------------------


class ColumnKind(enum.StrEnum):
    TEXT = "text"
    INT = "int"
    DATE = "date"
    CHOICE = "choice"
    REF = "ref"


KIND_LABELS = {
    ColumnKind.TEXT: "文本",
    ColumnKind.INT: "整数",
    ColumnKind.DATE: "日期, 如 2023-04-13 或 2023年4月13日",
    ColumnKind.CHOICE: "从下拉列表选择",
    ColumnKind.REF: "名称或代码",
}


class Reference(Protocol):
    """Resolves the text of a foreign-reference cell to an object (by name or code)."""

    def resolve(self, text: str) -> Any:
        """The object named by ``text``; raise CellError with a Chinese message otherwise."""
        ...

    def label(self, obj: Any) -> str:
        """What an export writes for ``obj``, so that ``resolve`` finds it again."""
        ...

    def options(self) -> list[str]:
        """Labels offered as a drop-down list in the template."""
        ...


@dataclass(frozen=True)
class Column:
    """One column of a register: Chinese header, accepted synonyms, type and whether required."""

    name: str
    header: str
    kind: ColumnKind = ColumnKind.TEXT
    required: bool = False
    synonyms: tuple[str, ...] = ()
    # (stored value, label) for choice columns; aliases map other spellings to a stored value.
    choices: tuple[tuple[str, str], ...] = ()
    aliases: Mapping[str, str] = field(default_factory=dict)
    # The name of the Reference (passed to Layout.parse) that resolves a ref column.
    ref: str = ""
    max_length: int | None = None
    # Names of people and units: spaces between Chinese characters are padding.
    is_name: bool = False
    # Digits that must stay text in Excel (ID and phone numbers, codes): the column is
    # formatted as text so Excel neither rounds nor drops leading zeros.
    is_code: bool = False
    help: str = ""
    width: int = 14
    _lookup: dict[str, str] = field(init=False, repr=False, compare=False, default_factory=dict)

    def __post_init__(self) -> None:
        lookup = self._lookup
        for value, label in self.choices:
            for text in (value, label):
                lookup.setdefault(lookup_key(text), value)
        for text, value in self.aliases.items():
            lookup.setdefault(lookup_key(text), value)

    def header_keys(self) -> set[str]:
        keys: set[str] = set()
        for text in (self.header, *self.synonyms):
            keys.update(_header_keys(text))
        return keys

    def choice_label(self, value: str) -> str:
        return dict(self.choices).get(value, value)

    def parse(self, raw: Any, refs: Mapping[str, Reference]) -> Any:
        """The typed value of a cell; "" or None when blank; CellError when malformed."""
        if raw is None or raw == "":
            return "" if self.kind in _TEXT_KINDS else None
        if self.kind is ColumnKind.INT:
            return parse_int(raw)
        if self.kind is ColumnKind.DATE:
            return parse_date(raw)
        text = clean_name(raw) if self.is_name else clean_text(raw)
        if self.is_code:
            text = re.sub(r"\s+", "", to_ascii(text))
        if not text:
            return None if self.kind is ColumnKind.REF else ""
        if self.kind is ColumnKind.CHOICE:
            found = self._lookup.get(text)
            if found is None:
                found = self._lookup.get(lookup_key(text))
            if found is None:
                labels = "、".join(label for value, label in self.choices if value)
                raise CellError(f"“{text}”不是有效的{self.header}, 可选: {labels}")
            return found
        if self.kind is ColumnKind.REF:
            return refs[self.ref].resolve(text)
        if self.max_length is not None and len(text) > self.max_length:
            # The message of the model field's own validator (what full_clean says).
            try:
                MaxLengthValidator(self.max_length)(text)
            except ValidationError as exc:
                raise CellError(exc.messages[0]) from None
        return text


_TEXT_KINDS = frozenset({ColumnKind.TEXT, ColumnKind.CHOICE})


def is_blank(value: Any) -> bool:
    return value is None or value == ""


def _filled(value: Any) -> bool:
    """A cell with something in it (not just blanks)."""
    if value is None or value == "":
        return False
    if type(value) is not str:
        return True
    return bool(value.strip()) and (value.isascii() or bool(value.translate(_TIDY).strip()))


@dataclass(frozen=True)
class Layout:
    """The columns of one register and the columns that identify a row (its key)."""

    title: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]

    def __post_init__(self) -> None:
        seen: dict[str, str] = {}
        for column in self.columns:
            for key in column.header_keys():
                if key in seen and seen[key] != column.name:
                    raise ValueError(f"header {key!r} names both {seen[key]} and {column.name}")
                seen[key] = column.name
        missing = set(self.key) - {c.name for c in self.columns}
        if missing:
            raise ValueError(f"key columns {missing} are not columns")

    @property
    def by_name(self) -> dict[str, Column]:
        return {c.name: c for c in self.columns}

    def header_index(self) -> dict[str, str]:
        """{normalised header or synonym: column name}."""
        return {key: c.name for c in self.columns for key in c.header_keys()}

    def parse(
        self, record: Record, refs: Mapping[str, Reference]
    ) -> tuple[dict[str, Any], list[Problem]]:
        """Typed values of one record by column name, and the problems of its cells."""
        values: dict[str, Any] = {}
        problems: list[Problem] = []
        for column in self.columns:
            if column.name in record.formula_gaps:
                problems.append(
                    Problem(
                        record.row,
                        column.header,
                        "该单元格是公式但没有计算结果, 请在 Excel 中重新计算并保存后再导入",
                    )
                )
                values[column.name] = None
                continue
            try:
                value = column.parse(record.cells.get(column.name), refs)
            except CellError as exc:
                problems.append(Problem(record.row, column.header, str(exc)))
                values[column.name] = None
                continue
            if column.required and is_blank(value):
                problems.append(Problem(record.row, column.header, f"请填写{column.header}"))
            values[column.name] = value
        return values, problems


# ---------------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------------


@dataclass
class Record:
    """One data row: its spreadsheet row number and its raw cells by column name."""

    row: int
    cells: dict[str, Any]
    formula_gaps: frozenset[str] = frozenset()


@dataclass
class RowSource:
    """Rows of one sheet as (spreadsheet row number, cells); cells are positional."""

    rows: Iterator[tuple[int, list[Any]]]
    # (row number, position in the row) of formula cells that have no cached value.
    formula_gaps: set[tuple[int, int]] = field(default_factory=set)
    sheet_name: str = ""


def sniff_format(data: bytes) -> str:
    """The format told by the bytes themselves (extensions lie): xlsx, ods, xls or csv."""
    if not data:
        raise TableError("文件是空的, 没有任何内容")
    if data[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
                mimetype = archive.read("mimetype") if "mimetype" in names else b""
        except (zipfile.BadZipFile, OSError, KeyError):
            raise TableError("文件已损坏, 无法打开; " + SUPPORTED) from None
        if "xl/workbook.xml" in names or "xl/workbook.bin" in names:
            return "xlsx"
        if mimetype.startswith(b"application/vnd.oasis.opendocument.spreadsheet"):
            return "ods"
        if "word/document.xml" in names:
            raise TableError("这是 Word 文档, 不是表格; " + SUPPORTED)
        raise TableError("文件不是可识别的表格; " + SUPPORTED)
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return "xls"
    if data[:5] == b"%PDF-":
        raise TableError("这是 PDF 文件, 不是表格; " + SUPPORTED)
    return "csv"


def _text_encoding(data: bytes) -> str:
    """UTF-8 (with or without BOM) or GB18030 (a superset of GBK); else a clear refusal."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    sample = data[:65536]
    if b"\x00" in sample:
        raise TableError("文件不是可识别的表格(含有二进制内容); " + SUPPORTED)
    for encoding in ("utf-8", "gb18030"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            for start in range(0, len(data), 1 << 20):
                decoder.decode(data[start : start + (1 << 20)], final=False)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        text = sample.decode(encoding, errors="ignore")
        controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\r\n")
        if controls > max(2, len(text) // 100):
            raise TableError("文件不是可识别的表格(含有二进制内容); " + SUPPORTED)
        return encoding
    raise TableError("文件编码无法识别, 请在 Excel 中另存为“CSV UTF-8”或 .xlsx 后再导入")


def _csv_rows(data: bytes) -> RowSource:
    encoding = _text_encoding(data)
    stream = io.TextIOWrapper(io.BytesIO(data), encoding=encoding, newline="")
    sample = stream.read(65536)
    stream.seek(0)
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",\t;|")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(stream, dialect)

    def rows() -> Iterator[tuple[int, list[Any]]]:
        try:
            yield from enumerate(reader, start=1)
        except csv.Error as exc:
            raise TableError(f"CSV 文件格式错误(第{reader.line_num}行): {exc}") from None

    return RowSource(rows=rows(), sheet_name="")


_CELL_REF = re.compile(r"([A-Z]+)(\d+)")
_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")
_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def _column_number(letters: str) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + (ord(ch) - 64)
    return number - 1


def _xlsx_sheet_part(archive: zipfile.ZipFile, sheet_name: str) -> str | None:
    try:
        workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError):
        return None
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_PKG_REL_NS}Relationship")}
    for sheet in workbook.iter(f"{_NS}sheet"):
        if sheet.get("name") == sheet_name:
            target = targets.get(sheet.get(f"{_REL_NS}id"), "")
            if target.startswith("/"):
                return target.lstrip("/")
            return f"xl/{target}" if target else None
    return None


def xlsx_formula_gaps(data: bytes, sheet_name: str) -> set[tuple[int, int]]:
    """Formula cells without a cached value, as (row number, absolute column index).

    Read by streaming the sheet's XML; a sheet without any formula is only scanned for “<f”.
    """
    gaps: set[tuple[int, int]] = set()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            part = _xlsx_sheet_part(archive, sheet_name)
            if part is None or part not in archive.namelist():
                return gaps
            with archive.open(part) as stream:
                tail = b""
                found = False
                while chunk := stream.read(1 << 20):
                    if _FORMULA_TAG.search(tail + chunk):
                        found = True
                        break
                    tail = chunk[-16:]
            if not found:
                return gaps
            with archive.open(part) as stream:
                for _event, elem in ElementTree.iterparse(stream, events=("end",)):
                    if elem.tag == f"{_NS}c":
                        formula = elem.find(f"{_NS}f")
                        if formula is not None:
                            value = elem.find(f"{_NS}v")
                            if value is None or not (value.text or "").strip():
                                match = _CELL_REF.fullmatch(elem.get("r", ""))
                                if match:
                                    gaps.add((int(match.group(2)), _column_number(match.group(1))))
                        elem.clear()
                    elif elem.tag == f"{_NS}row":
                        elem.clear()
    except (zipfile.BadZipFile, ElementTree.ParseError, KeyError, OSError):
        return gaps
    return gaps


def _merged_fill(ranges: Sequence[Any] | None) -> dict[tuple[int, int], tuple[int, int]]:
    """{cell: top-left cell} for merged ranges (0-based, absolute), so merged cells fill down."""
    fill: dict[tuple[int, int], tuple[int, int]] = {}
    for (r0, c0), (r1, c1) in ranges or ():
        if (r1 - r0 + 1) * (c1 - c0 + 1) > 100_000:
            continue
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                if (r, c) != (r0, c0):
                    fill[(r, c)] = (r0, c0)
    return fill


def _calamine_sheets(data: bytes, fmt: str) -> Iterator[RowSource]:
    """The visible worksheets in workbook order, each loaded only when reached."""
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except PasswordError:
        raise TableError("文件设有密码, 请取消密码后再导入") from None
    except Exception:  # calamine raises its own error types (zip, XML, CFB) for bad input
        raise TableError("文件已损坏或不是有效的 Excel 文件; " + SUPPORTED) from None
    names = [
        meta.name
        for meta in workbook.sheets_metadata
        if meta.visible == SheetVisibleEnum.Visible and meta.typ == SheetTypeEnum.WorkSheet
    ] or list(workbook.sheet_names)
    for name in names:
        try:
            sheet = workbook.get_sheet_by_name(name)
        except PasswordError:
            raise TableError("文件设有密码, 请取消密码后再导入") from None
        except Exception:
            raise TableError("文件已损坏或不是有效的 Excel 文件; " + SUPPORTED) from None
        start_col = sheet.start[1] if sheet.start else 0
        merged = _merged_fill(sheet.merged_cell_ranges if fmt != "ods" else None)
        gaps = (
            {(r, c - start_col) for r, c in xlsx_formula_gaps(data, name)}
            if fmt == "xlsx"
            else set()
        )
        yield RowSource(
            rows=_sheet_rows(sheet, start_col, merged), formula_gaps=gaps, sheet_name=name
        )


def _sheet_rows(
    sheet: Any, start_col: int, merged: dict[tuple[int, int], tuple[int, int]]
) -> Iterator[tuple[int, list[Any]]]:
    kept: dict[tuple[int, int], Any] = {}
    anchors = set(merged.values())
    # python-calamine yields rows from the sheet's first row and cells from its first used
    # column, so row numbers are positions and column positions are offset by start_col.
    for index, row in enumerate(sheet.iter_rows()):
        if merged:
            row = list(row)
            for j, value in enumerate(row):
                cell = (index, start_col + j)
                if cell in anchors:
                    kept[cell] = value
                elif value == "" and cell in merged:
                    row[j] = kept.get(merged[cell], "")
        yield index + 1, row


def open_sheets(data: bytes) -> Iterator[RowSource]:
    """The sheets of a spreadsheet (or the one table of a CSV file), each streaming its rows."""
    fmt = sniff_format(data)
    if fmt == "csv":
        yield _csv_rows(data)
    else:
        yield from _calamine_sheets(data, fmt)


@dataclass
class HeaderMatch:
    """Where the header is and which position in a row feeds which column."""

    row: int
    headers: list[str]
    mapping: dict[str, int]
    missing: list[Column]
    ignored: list[str]

    @property
    def ok(self) -> bool:
        return not self.missing


def _score(cells: Sequence[Any], index: Mapping[str, str]) -> int:
    found = set()
    for cell in cells:
        for key in _header_keys(cell):
            if key in index:
                found.add(index[key])
                break
    return len(found)


def match_header(
    layout: Layout,
    rows: Sequence[tuple[int, list[Any]]],
    mapping: Mapping[str, int] | None = None,
) -> tuple[HeaderMatch, int]:
    """Find the header among the first rows: the row naming most known columns.

    Returns the match and the position (in ``rows``) of the header row. ``mapping`` (from the
    manual mapping step) overrides what the headers say; -1 means “no such column”.
    """
    index = layout.header_index()
    best, best_score = -1, 0
    for position, (_number, cells) in enumerate(rows[:HEADER_SCAN_ROWS]):
        score = _score(cells, index)
        if score > best_score:
            best, best_score = position, score
    if best < 0:
        sample = "、".join(c.header for c in layout.columns if c.required)
        raise TableError(
            f"文件前{HEADER_SCAN_ROWS}行中没有可识别的表头; 表头行应包含“{sample}”等列名"
        )
    number, cells = rows[best]
    headers = [clean_text(c) for c in cells]
    above = rows[best - 1][1] if best > 0 else []
    found: dict[str, int] = {}
    for position, cell in enumerate(cells):
        candidates = [cell]
        if not clean_text(cell) and position < len(above):
            # A two-row header: a column merged over both rows keeps its name in the upper row.
            candidates.append(above[position])
        for candidate in candidates:
            name = next((index[k] for k in _header_keys(candidate) if k in index), None)
            if name is not None:
                found.setdefault(name, position)
                if not headers[position]:
                    headers[position] = clean_text(candidate)
                break
    if mapping:
        for name, position in mapping.items():
            if name not in layout.by_name:
                continue
            if position is None or position < 0:
                found.pop(name, None)
            elif position < len(headers):
                found[name] = position
    used = set(found.values())
    ignored = [h for i, h in enumerate(headers) if h and i not in used]
    missing = [c for c in layout.columns if c.required and c.name not in found]
    return HeaderMatch(number, headers, found, missing, ignored), best


class Table:
    """A register's view of an uploaded file: the header found and the records below it."""

    def __init__(
        self, data: bytes, layout: Layout, mapping: Mapping[str, int] | None = None
    ) -> None:
        self.layout = layout
        no_header: TableError | None = None
        for source in open_sheets(data):
            head = list(islice(source.rows, HEADER_SCAN_ROWS))
            if not any(clean_text(c) for _n, cells in head for c in cells):
                continue
            try:
                self.header, position = match_header(layout, head, mapping)
            except TableError as exc:
                no_header = no_header or exc
                continue
            self.sheet_name = source.sheet_name
            self._gaps = source.formula_gaps
            self._rows = chain(head[position + 1 :], source.rows)
            return
        raise no_header or TableError("文件中没有数据")

    def records(self) -> Iterator[Record]:
        """Data rows below the header; blank rows and sheet footers are skipped."""
        mapping = list(self.header.mapping.items())
        key_names = set(self.layout.key)
        gaps = self._gaps
        for number, cells in self._rows:
            width = len(cells)
            values = {name: (cells[pos] if pos < width else "") for name, pos in mapping}
            if not any(_filled(v) for v in values.values()):
                continue
            if not any(_filled(values.get(k)) for k in key_names):
                first = next((clean_text(c) for c in cells if _filled(c)), "")
                if to_ascii(first).startswith(FOOTER_PREFIXES):
                    continue
            row_gaps = (
                frozenset(name for name, pos in mapping if (number, pos) in gaps)
                if gaps
                else frozenset()
            )
            yield Record(number, values, row_gaps)


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------


def _format_column(sheet: Any, letter: str, column: Column) -> None:
    dimension = sheet.column_dimensions[letter]
    dimension.width = column.width
    if column.is_code:
        dimension.number_format = "@"
    elif column.kind is ColumnKind.DATE:
        dimension.number_format = "yyyy-mm-dd"


def _xlsx_value(column: Column, value: Any) -> Any:
    if value is None:
        return None
    if column.kind is ColumnKind.CHOICE:
        return column.choice_label(value)
    return value


def write_xlsx(
    columns: Sequence[Column],
    rows: Iterable[Sequence[Any]],
    *,
    sheet_title: str,
    title: str = "",
) -> bytes:
    """Stream rows into an .xlsx file (openpyxl write-only mode) and return its bytes."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet: Any = workbook.create_sheet(sheet_title[:31])
    for i, column in enumerate(columns, start=1):
        _format_column(sheet, get_column_letter(i), column)
    bold = Font(bold=True)
    if title:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = Font(bold=True, size=14)
        sheet.append([cell])
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=column.header)
        cell.font, cell.fill = bold, header_fill
        cell.alignment = Alignment(horizontal="center")
        header.append(cell)
    sheet.freeze_panes = f"A{3 if title else 2}"
    sheet.append(header)
    for row in rows:
        out: list[Any] = []
        for column, value in zip(columns, row, strict=True):
            value = _xlsx_value(column, value)
            if isinstance(value, str) and value.startswith("="):
                # Text that looks like a formula stays text (no formula injection).
                cell = WriteOnlyCell(sheet, value=value)
                cell.data_type = "s"
                out.append(cell)
            elif isinstance(value, dt.date):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = "yyyy-mm-dd"
                out.append(cell)
            else:
                out.append(value)
        sheet.append(out)
    with tempfile.TemporaryFile() as buffer:
        workbook.save(buffer)
        buffer.seek(0)
        return buffer.read()


def _csv_value(column: Column, value: Any) -> str:
    if value is None:
        return ""
    if column.kind is ColumnKind.CHOICE:
        value = column.choice_label(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    if column.kind is not ColumnKind.INT and text[:1] in ("=", "+", "-", "@"):
        # OWASP CSV injection guard; the reader drops the apostrophe again.
        return "'" + text
    return text


def write_csv(columns: Sequence[Column], rows: Iterable[Sequence[Any]]) -> bytes:
    """CSV in UTF-8 with a BOM (Excel then shows Chinese correctly)."""
    buffer = io.BytesIO()
    stream = io.TextIOWrapper(buffer, encoding="utf-8-sig", newline="")
    writer = csv.writer(stream)
    writer.writerow([c.header for c in columns])
    for row in rows:
        writer.writerow([_csv_value(c, v) for c, v in zip(columns, row, strict=True)])
    stream.flush()
    data = buffer.getvalue()
    stream.detach()
    return data


def column_comment(column: Column, options: Sequence[str] = ()) -> str:
    lines = [f"{column.header}{'(必填)' if column.required else '(选填)'}"]
    lines.append(f"格式: {KIND_LABELS[column.kind]}")
    if column.max_length:
        lines.append(f"不超过{column.max_length}个字")
    if column.help:
        lines.append(column.help)
    if column.kind is ColumnKind.CHOICE and options:
        lines.append("可选: " + "、".join(options))
    return "\n".join(lines)


def write_template(
    layout: Layout,
    *,
    options: Mapping[str, Sequence[str]] | None = None,
    rows: int = 2000,
) -> bytes:
    """An empty import template: one header row with a comment per column and drop-down lists
    (data validation) for choice and reference columns; the lists live on a hidden sheet."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    options = dict(options or {})
    for column in layout.columns:
        if column.kind is ColumnKind.CHOICE and column.name not in options:
            options[column.name] = [label for value, label in column.choices if value]
    workbook = Workbook(write_only=True)
    sheet: Any = workbook.create_sheet(layout.title[:31])
    lists: Any = workbook.create_sheet("选项")
    lists.sheet_state = "hidden"
    listed = [c for c in layout.columns if options.get(c.name)]
    listed_names = [c.name for c in listed]
    header = []
    for i, column in enumerate(layout.columns, start=1):
        letter = get_column_letter(i)
        _format_column(sheet, letter, column)
        cell = WriteOnlyCell(sheet, value=("*" if column.required else "") + column.header)
        cell.font = Font(bold=True, color="C00000" if column.required else "000000")
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        comment = Comment(column_comment(column, options.get(column.name, ())), "镇街")
        comment.width, comment.height = 240, 140
        cell.comment = comment
        header.append(cell)
        if column.name in listed_names:
            j = listed_names.index(column.name) + 1
            count = len(options[column.name])
            source = f"'选项'!${get_column_letter(j)}$2:${get_column_letter(j)}${count + 1}"
            validation = DataValidation(
                type="list",
                formula1=source,
                allow_blank=True,
                showErrorMessage=True,
                errorStyle="warning",
                errorTitle=column.header,
                error=f"请从列表中选择{column.header}",
            )
            validation.add(f"{letter}2:{letter}{rows + 1}")
            sheet.data_validations.append(validation)
    sheet.freeze_panes = "A2"
    sheet.append(header)
    lists.append([c.header for c in listed])
    longest = max((len(options[c.name]) for c in listed), default=0)
    for k in range(longest):
        lists.append([options[c.name][k] if k < len(options[c.name]) else None for c in listed])
    with tempfile.TemporaryFile() as buffer:
        workbook.save(buffer)
        buffer.seek(0)
        return buffer.read()
