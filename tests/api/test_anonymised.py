"""An anonymised record through the API: read as anonymised, any change a 409 `anonymised`."""

from portal.auth.models import INSPECTOR
from portal.candidates.anonymise import RETENTION, anonymise


def test_an_anonymised_record_is_not_changed(api_as, make_user, make_candidate):
    person = make_candidate(skills="тігін")
    anonymise(person.id, RETENTION, None)
    api = api_as(make_user(INSPECTOR))
    assert api.get(f"/api/v1/candidates/{person.id}").status_code == 200
    changed = api.patch(f"/api/v1/candidates/{person.id}", json={"skills": "швейное дело"})
    assert changed.status_code == 409 and changed.get_json()["code"] == "anonymised"
    added = api.post(
        f"/api/v1/candidates/{person.id}/offences", json={"code": "2014", "article": "188"}
    )
    assert added.status_code == 409
