"""Forms of the exchange pages: upload, column mapping and export options."""

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from openpyxl.utils import get_column_letter

from zhenjie.core.forms import DateInput

from .services import FORMATS, max_upload_bytes, size_label
from .tabular import Layout

EXTENSIONS = (".xlsx", ".xlsm", ".xls", ".ods", ".csv", ".txt")


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label="文件",
        allow_empty_file=True,
        help_text="支持 .xlsx、.xls、.ods 和 .csv(UTF-8 或 GBK 编码); 表头可以在标题行下面",
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(EXTENSIONS):
            raise ValidationError("只能导入 .xlsx、.xls、.ods 或 .csv 文件")
        if upload.size == 0:
            raise ValidationError("文件是空的, 没有任何内容")
        limit = max_upload_bytes()
        if upload.size > limit:
            raise ValidationError(
                f"文件大小{size_label(upload.size)}超过上限{size_label(limit)}, 请分成几个文件导入"
            )
        return upload


class ExportForm(forms.Form):
    format = forms.ChoiceField(label="格式", choices=list(FORMATS.items()), initial="xlsx")
    on = forms.DateField(label="截至日期", required=False, widget=DateInput())

    def __init__(self, *args: Any, has_as_of: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not has_as_of:
            del self.fields["on"]

    def as_of(self) -> dt.date:
        return self.cleaned_data.get("on") or dt.date.today()


def column_choice(position: int, header: str) -> str:
    return f"{get_column_letter(position + 1)}列 · {header or '(无表头)'}"


class MappingForm(forms.Form):
    """Which column of the file feeds each column of the register (the mapping step)."""

    def __init__(
        self,
        *args: Any,
        layout: Layout,
        headers: list[str],
        mapping: dict[str, int],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.layout = layout
        options = [("-1", "(文件中没有此列)")] + [
            (str(i), column_choice(i, h)) for i, h in enumerate(headers)
        ]
        for column in layout.columns:
            self.fields[column.name] = forms.ChoiceField(
                label=column.header,
                choices=options,
                initial=str(mapping.get(column.name, -1)),
                required=column.required,
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        used: dict[str, str] = {}
        for column in self.layout.columns:
            value = data.get(column.name)
            if value is None:
                continue
            if value == "-1":
                if column.required:
                    self.add_error(column.name, f"请选择“{column.header}”对应的列")
                continue
            if value in used:
                self.add_error(column.name, f"该列已对应“{used[value]}”, 一列只能对应一项")
            used[value] = column.header
        return data

    def mapping(self) -> dict[str, int]:
        return {c.name: int(self.cleaned_data[c.name]) for c in self.layout.columns}
