from django import forms
from django.utils.translation import gettext_lazy as _

from bulk.csvfiles import MAX_FILE_BYTES
from bulk.models import Mode


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(limit)s MB. Split it into smaller files.")
                % {"limit": MAX_FILE_BYTES // (1024 * 1024)}
            )
        return upload


class RunForm(forms.Form):
    mode = forms.ChoiceField(
        label=_("What to record"),
        choices=Mode.choices,
        initial=Mode.ALL_OR_NOTHING,
        widget=forms.RadioSelect,
    )
