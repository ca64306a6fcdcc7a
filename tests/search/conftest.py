"""The search store of the test's app."""

import pytest

from portal.search.index import store


@pytest.fixture
def search_store(app):
    return store()
