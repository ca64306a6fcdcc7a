"""A signed-in employer's client (its user as `client.user`)."""

import pytest

from portal.auth.models import EMPLOYER
from tests.helpers import sign_in


@pytest.fixture
def employer_client(client, make_user):
    user = make_user(EMPLOYER)
    sign_in(client, user)
    client.user = user
    return client
