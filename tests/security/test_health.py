"""Row 14: /healthz checks the database and the search index folder, and names only the part."""

import os

from tests.helpers import BASE_CONFIG


def test_healthy(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "checks": {"database": "ok", "search_index": "ok"}}


def test_the_database_down_is_a_503_naming_it_without_internals(make_app, tmp_path):
    unreachable = (
        f"sqlite:///{tmp_path}/missing/folder/portal.db"
        if make_app(**BASE_CONFIG).config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite")
        else "postgresql+psycopg://postgres@127.0.0.1:5139/none?connect_timeout=2"
    )
    response = make_app(SQLALCHEMY_DATABASE_URI=unreachable).test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json == {
        "status": "failed",
        "checks": {"database": "failed", "search_index": "ok"},
    }


def test_an_unwritable_index_folder_is_a_503_naming_it(make_app, tmp_path):
    blocked = tmp_path / "a-file"
    blocked.write_text("")  # a file where the folder should be: it can be neither made nor used
    response = make_app(SEARCH_INDEX_DIR=str(blocked / "search")).test_client().get("/healthz")
    assert response.status_code == 503
    body = response.get_data(as_text=True)
    assert response.json["checks"] == {"database": "ok", "search_index": "failed"}
    assert str(tmp_path) not in body and os.sep + "search" not in body
