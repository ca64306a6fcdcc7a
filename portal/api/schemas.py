"""What the API's documents share: problem details, pages with cursors, and marshmallow's
messages in the user's language (set once, on marshmallow's field classes, as its
documentation describes for project-wide messages)."""

import marshmallow as ma
from flask_babel import lazy_gettext as _l

MSG_REQUIRED = _l("This field is required.")
MSG_INVALID = _l("Not a valid value.")
MSG_UNKNOWN = _l("Unknown field.")

ma.fields.Field.default_error_messages.update(
    required=MSG_REQUIRED, null=_l("This field may not be empty."), validator_failed=MSG_INVALID
)
for _field in (
    ma.fields.String,
    ma.fields.Integer,
    ma.fields.Number,
    ma.fields.Boolean,
    ma.fields.Date,
    ma.fields.DateTime,
    ma.fields.List,
    ma.fields.Dict,
    ma.fields.Nested,
):
    for _key in ("invalid", "too_large", "format", "type", "invalid_utf8"):
        if _key in _field.default_error_messages:
            _field.default_error_messages[_key] = MSG_INVALID


def one_of(choices) -> ma.validate.OneOf:
    return ma.validate.OneOf(tuple(choices), error=_l("Must be one of: {choices}."))


MAX_ID = 2**31 - 1  # ids are 32-bit on PostgreSQL; a larger number names no row


def id_field(**kwargs) -> ma.fields.Integer:
    return ma.fields.Integer(validate=ma.validate.Range(1, MAX_ID, error=MSG_INVALID), **kwargs)


class Schema(ma.Schema):
    """Unknown fields are refused, with the portal's message."""

    error_messages = {"unknown": MSG_UNKNOWN, "type": MSG_INVALID}

    class Meta:
        unknown = ma.RAISE


class ReasonSchema(Schema):
    code = ma.fields.String(required=True)
    message = ma.fields.String(required=True)
    legal_basis = ma.fields.String()


class ProblemSchema(Schema):
    """RFC 9457 problem details."""

    type = ma.fields.String(required=True)
    title = ma.fields.String(required=True)
    status = ma.fields.Integer(required=True)
    code = ma.fields.String(required=True, metadata={"description": "stable error code"})
    detail = ma.fields.String()
    errors = ma.fields.Dict(metadata={"description": "messages by field"})
    reasons = ma.fields.List(ma.fields.Nested(ReasonSchema))


class PageArgs(Schema):
    cursor = ma.fields.String(metadata={"description": "next_cursor of the previous page"})
    limit = ma.fields.Integer(
        load_default=25, validate=ma.validate.Range(min=1, max=100, error=MSG_INVALID)
    )


def page_of(item: type[ma.Schema], name: str) -> type[ma.Schema]:
    return type(
        name,
        (Schema,),
        {
            "items": ma.fields.List(ma.fields.Nested(item), required=True),
            "next_cursor": ma.fields.String(
                allow_none=True, required=True, metadata={"description": "null on the last page"}
            ),
        },
    )


def reasons(found) -> list[dict]:
    return [
        {"code": r.code, "message": str(r.message), "legal_basis": str(r.legal_basis)}
        for r in found
    ]
