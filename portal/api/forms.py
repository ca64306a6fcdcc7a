"""The pages' forms, fed from a JSON body: the API validates with the same fields and rules,
and answers with the same messages, in the request's language."""

from datetime import date, time

from werkzeug.datastructures import MultiDict


def formdata(values: dict, prefix: str = "") -> MultiDict:
    """JSON values as a form post: lists repeat the field, objects nest with a "-" prefix
    (WTForms' FormField), True is a ticked box, False and None are left out or empty."""
    data = MultiDict()
    for name, value in values.items():
        key = f"{prefix}{name}"
        if isinstance(value, dict):
            data.update(formdata(value, f"{key}-"))
        elif isinstance(value, list | tuple):
            for item in value:
                data.add(key, str(item))
        elif isinstance(value, bool):
            if value:
                data.add(key, "y")
        elif isinstance(value, date | time):
            data.add(key, value.isoformat()[:5] if isinstance(value, time) else value.isoformat())
        else:
            data.add(key, "" if value is None else str(value))
    return data


def form_errors(form) -> dict:
    return {name: messages for name, messages in form.errors.items() if messages}


def filled(form_class, values: dict, **kwargs):
    """The form, validated from `values` (no CSRF: the API is token-authenticated)."""
    form = form_class(formdata=formdata(values), meta={"csrf": False}, **kwargs)
    form.validate()
    return form
