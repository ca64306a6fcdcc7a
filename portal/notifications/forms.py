"""The e-mail settings form: which kinds come by e-mail, one at a time or as a daily digest."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice, SelectMultipleField
from wtforms.widgets import CheckboxInput, ListWidget

from portal.notifications.kinds import GROUPS


class SettingsForm(FlaskForm):
    email = SelectMultipleField(
        _l("Send me an e-mail about"),
        choices=[SelectChoice(group, label) for group, label in GROUPS.items()],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        validate_choice=True,
    )
    digest = RadioField(
        _l("How e-mails come"),
        choices=[
            SelectChoice("each", _l("One e-mail for each notification")),
            SelectChoice("daily", _l("One e-mail a day with everything new (daily digest)")),
        ],
        default="each",
    )
