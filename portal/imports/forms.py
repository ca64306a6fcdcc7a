"""The upload form, the preview's import form, and the job's cancel button."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import RadioField, SelectChoice
from wtforms.validators import AnyOf

VALID_ROWS, ALL_OR_NONE = "valid", "all"
CHECK_AGAIN = "check"  # the preview's other button: apply the fixes and show the check
FORMATS = "XLSX, CSV"
MSG_FORMATS = _l("Upload a file in one of these formats: %(formats)s.", formats=FORMATS)


class UploadForm(FlaskForm):
    file = FileField(
        _l("Spreadsheet (%(formats)s)", formats=FORMATS),
        validators=[
            FileRequired(message=_l("Choose the file.")),
            FileAllowed(("xlsx", "csv"), message=MSG_FORMATS),
        ],
    )


class ImportForm(FlaskForm):
    """The preview's form: the mode, and the fixes typed into the bad rows' fields
    (portal/imports/fixes.py)."""

    mode = RadioField(
        _l("What to import"),
        choices=[
            SelectChoice(VALID_ROWS, _l("The rows without problems (the others are left out)")),
            SelectChoice(
                ALL_OR_NONE, _l("Everything or nothing: nothing while any row has a problem")
            ),
        ],
        default=VALID_ROWS,
        validators=[AnyOf((VALID_ROWS, ALL_OR_NONE))],
    )
