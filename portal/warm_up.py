"""What a worker would otherwise build at its first requests, built once before it starts.

gunicorn (gunicorn.conf.py) loads the app in its master and forks the workers from it, and
replaces each worker after max_requests; a new worker used to compile the templates and read
the catalogues and CLDR data again at its first requests (its first employer's vacancy list
190 ms, statistics 100 ms; 78 and 73 ms when the master has done this). Done in the master,
it is done once, and every worker starts with it in shared memory.
"""

from datetime import datetime

from flask import Flask
from flask_babel import force_locale, format_date, format_datetime, format_decimal, get_translations


def warm_up(app: Flask) -> None:
    """Compile every template, and load each language's catalogue and date and number data.
    No database: a connection opened here would be shared by the forked workers."""
    for name in app.jinja_env.list_templates(extensions=["html"]):
        app.jinja_env.get_template(name)
    with app.test_request_context():
        for language in app.config["LANGUAGES"]:
            with force_locale(language):
                get_translations()
                format_date(datetime(2000, 1, 1), "long")
                format_datetime(datetime(2000, 1, 1))
                format_decimal(1000.5)
