"""Forms of grade evaluation: the score sheet over an indicator tree (one column: self, evaluator or committee) and
the short texts of publishing, objections and replies."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from . import evaluation_services as svc
from .evaluation_trees import rows


class ScoreSheet(forms.Form):
    """One score and one note per leaf indicator of the evaluation's tree; every score between 0 and the leaf's
    points (errors in Chinese beside each field). ``complete`` requires every leaf (submitting)."""

    def __init__(self, *args, evaluation, column: str, complete: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.evaluation, self.column, self.complete = evaluation, column, complete
        self.tree_rows = rows(evaluation.tree)
        stored = {s.indicator_id: s for s in evaluation.scores.all()}
        note_field = svc.NOTE_FIELDS[column]
        for row in self.tree_rows:
            ind = row["indicator"]
            score = stored.get(ind.pk)
            row["score"] = score
            if not row["leaf"]:
                continue
            value = getattr(score, column) if score else None
            self.fields[f"score_{ind.pk}"] = forms.CharField(
                label=f"{ind.code} {ind.title}", required=False, initial=value,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "form-control form-control-sm",
                                              "style": "width:6em", "aria-label": f"{ind.code} {ind.title} 得分"}),
                help_text=f"0–{ind.max_score}")
            self.fields[f"note_{ind.pk}"] = forms.CharField(
                label=f"{ind.code} 说明", required=False, max_length=300,
                initial=getattr(score, note_field) if score else "",
                widget=forms.TextInput(attrs={"class": "form-control form-control-sm",
                                              "aria-label": f"{ind.code} {ind.title} 说明"}))
            row["field"], row["note_field"] = f"score_{ind.pk}", f"note_{ind.pk}"

    def bound_rows(self):
        for row in self.tree_rows:
            if row["leaf"]:
                yield {**row, "bound": self[row["field"]], "bound_note": self[row["note_field"]]}
            else:
                yield row

    def clean(self):
        data = super().clean()
        values = {int(name[6:]): data.get(name, "") for name in self.fields if name.startswith("score_")}
        try:
            self.numbers = svc.check_values(self.evaluation, values, complete=self.complete)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errs in exc.message_dict.items():
                    self.add_error(field if field in self.fields else None, errs)
            else:
                self.add_error(None, exc.messages)
        return data

    def notes(self) -> dict:
        return {int(name[5:]): self.cleaned_data.get(name, "") for name in self.fields if name.startswith("note_")}


class NoteForm(forms.Form):
    text = forms.CharField(label="说明", required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}))

