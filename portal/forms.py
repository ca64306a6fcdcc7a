"""Forms shared by every package."""

from flask_wtf import FlaskForm


class ConfirmForm(FlaskForm):
    """An empty form: the CSRF token is the confirmation that the user pressed the button."""
