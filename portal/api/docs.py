"""The API's documentation page: Swagger UI from the swagger-ui-bundle package's own files
(no CDN: the portal runs offline, and its Content-Security-Policy allows its own origin only),
started by a script file of the portal (no inline script), with the list of operations in
plain HTML beneath for readers without JavaScript."""

import swagger_ui_bundle
from flask import Blueprint, Flask, current_app, render_template, send_from_directory

from portal.api import PREFIX

bp = Blueprint(
    "api_docs_page",
    __name__,
    url_prefix=f"{PREFIX}/docs",
    static_folder="static",
    static_url_path="/portal",
)
SWAGGER_UI = swagger_ui_bundle.swagger_ui_path


@bp.get("/")
def page():
    spec = current_app.extensions["flask-smorest"]["apis"][""]["ext_obj"].spec.to_dict()
    operations = [
        (method.upper(), path, operation.get("summary", ""), operation.get("description", ""))
        for path, methods in spec["paths"].items()
        for method, operation in methods.items()
        if method in ("get", "post", "put", "patch", "delete")
    ]
    return render_template("api/docs.html", operations=operations)


@bp.get("/swagger-ui/<path:filename>")
def swagger_ui(filename: str):
    return send_from_directory(SWAGGER_UI, filename)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
