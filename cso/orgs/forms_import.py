"""The upload form of the organization import."""

from django import forms

from cso.core.uploads import max_bytes


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label="导入文件",
        help_text="Excel 工作簿（.xlsx）或 CSV 文件（.csv，UTF-8 或 GB18030 编码）。列标题行上方可以有表名、"
                  "填报单位等标题行和空行；导出的名录文件可直接修改后导入，用于更新已有组织。",
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".xlsx,.csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > max_bytes():
            raise forms.ValidationError(
                f"文件过大（{upload.size / 1024 / 1024:.1f} MB），单个文件不能超过 {max_bytes() // 1024 // 1024} MB。"
            )
        return upload


class ImportApplyForm(forms.Form):
    exclude = forms.TypedMultipleChoiceField(label="不导入的疑似重复行", required=False, coerce=int, choices=())

    def __init__(self, *args, rows=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["exclude"].choices = [(r, f"第{r}行") for r in rows]
