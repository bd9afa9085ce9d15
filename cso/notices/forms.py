from django import forms

from .models import Preference


class PreferenceForm(forms.ModelForm):
    class Meta:
        model = Preference
        fields = ["sms", "email"]
        widgets = {"sms": forms.CheckboxInput(attrs={"class": "form-check-input"}),
                   "email": forms.CheckboxInput(attrs={"class": "form-check-input"})}
