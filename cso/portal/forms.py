from django import forms

from cso.accounts.forms import BootstrapMixin
from cso.orgs.models import Organization


class ContactForm(BootstrapMixin, forms.ModelForm):
    """Contact and activity data only: registered facts are not fields of this form."""

    class Meta:
        model = Organization
        fields = ["contact_name", "contact_phone", "address", "activity_schedule", "activity_place", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        labels = {"address": "住所（活动地址）"}
