"""Encryption at rest of the offences' articles (with their part and a regraded record's old
category) and of workplace checks' notes: unreadable in the database file (SQLite) and in a
raw select (PostgreSQL); a correction of the Criminal Code table still finds the offences of
its article by their keyed hash, which no reference table holds; keys rotate."""

from pathlib import Path

import sqlalchemy as sa
from cryptography.fernet import Fernet

from portal import data_crypto
from portal.auth.models import ADMIN, INSPECTOR
from portal.candidates.models import Offence
from portal.extensions import db
from portal.placements import lifecycle
from portal.placements.models import WorkplaceCheck
from portal.reference import articles, criminal_code
from portal.reference.models import CriminalArticle
from tests.helpers import BASE_CONFIG

# An article the seed's table does not list, so that its number is nowhere else in the file.
ARTICLE, PART, OLD_CATEGORY = "321-4", "3-2", "intentional_harm"


def _offence(make_candidate, **fields) -> Offence:
    values = dict(category_code="other", code="2014", article=ARTICLE, part=PART) | fields
    person = make_candidate(offences=[Offence(**values)])
    return person.offences[0]


def _raw(offence_id: int):
    with db.engine.connect() as conn:
        return conn.execute(
            sa.text(
                "SELECT code, article, part, regraded_from, article_key FROM offence WHERE id = :id"
            ),
            {"id": offence_id},
        ).one()


def _database_bytes() -> bytes:
    path = Path(db.engine.url.database)
    return b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.exists())


def test_the_database_holds_no_article_part_or_old_category_in_clear(make_candidate, backend):
    offence = _offence(make_candidate, regraded_from=OLD_CATEGORY)
    raw, keys = _raw(offence.id), data_crypto.current()
    assert raw.code == "2014"  # the Code stays in clear: it says nothing about the person
    assert ARTICLE not in raw.article and PART not in raw.part
    assert raw.regraded_from != OLD_CATEGORY
    assert (keys.decrypt(raw.article), keys.decrypt(raw.part)) == (ARTICLE, PART)
    assert keys.decrypt(raw.regraded_from) == OLD_CATEGORY
    assert raw.article_key == criminal_code.article_key("2014", ARTICLE) != ARTICLE
    assert len(raw.article_key) == 64
    if backend == "sqlite":
        assert ARTICLE.encode() not in _database_bytes()
    db.session.expire_all()
    again = db.session.get(Offence, offence.id)
    assert (again.article, again.part, again.regraded_from) == (ARTICLE, PART, OLD_CATEGORY)


def test_the_key_is_neither_the_article_nor_in_the_criminal_code_table(make_candidate):
    offence = _offence(make_candidate, article="134", part="")
    assert "article_key" not in CriminalArticle.__table__.c
    assert _raw(offence.id).article_key != criminal_code.article_key("1997", "134")
    # The same article typed another way is the same key (normalised like the forms).
    assert criminal_code.article_key("2014", "ст. 134") == _raw(offence.id).article_key


def test_changing_the_article_or_code_changes_its_key(make_candidate):
    offence = _offence(make_candidate)
    before = _raw(offence.id).article_key
    offence.article = "134"
    db.session.commit()
    after = _raw(offence.id).article_key
    assert after == criminal_code.article_key("2014", "134") != before
    offence.code = "1997"
    db.session.commit()
    assert _raw(offence.id).article_key == criminal_code.article_key("1997", "134")


def test_a_core_insert_gets_the_key_of_its_article(make_candidate):
    person = make_candidate()
    db.session.execute(
        sa.insert(Offence),
        [dict(candidate_id=person.id, category_code="other", code="2014", article="134")],
    )
    db.session.commit()
    (key,) = db.session.execute(sa.text("SELECT article_key FROM offence")).scalars()
    assert key == criminal_code.article_key("2014", "134")


def test_a_correction_finds_the_offences_of_its_article_by_their_key(make_candidate, make_user):
    """2014 art. 134 corrected to "against minors": its offence follows, the same number under
    the 1997 Code and another article of 2014 do not."""
    under = _offence(make_candidate, article="134", part="")
    other_code = _offence(make_candidate, code="1997", article="134", part="")
    other_article = _offence(make_candidate, article="135", part="")
    entry = db.session.scalar(
        sa.select(CriminalArticle).where(
            CriminalArticle.code == "2014", CriminalArticle.article == "134"
        )
    )
    values = {name: getattr(entry, name) for name in articles.FIELDS}
    articles.save_article(entry, {**values, "category_code": "sexual_minors"}, make_user(ADMIN))
    db.session.expire_all()
    assert db.session.get(Offence, under.id).category_code == "sexual_minors"
    assert db.session.get(Offence, under.id).regraded_from == "other"
    for unmoved in (other_code, other_article):
        assert db.session.get(Offence, unmoved.id).regraded_from is None


def test_workplace_check_notes_are_encrypted(make_candidate, make_vacancy, make_user, today):
    inspector = make_user(INSPECTOR)
    placement = lifecycle.propose(make_candidate().id, make_vacancy().id, inspector, today)
    note = "Цехта табылмады, көршісі айтты"
    db.session.add(
        WorkplaceCheck(
            placement_id=placement.id,
            checked_on=today,
            found_at_work=False,
            note=note,
            user_id=inspector.id,
        )
    )
    db.session.commit()
    with db.engine.connect() as conn:
        raw = conn.execute(sa.text("SELECT note FROM workplace_check")).scalar_one()
    assert "Цехта" not in raw and data_crypto.current().decrypt(raw) == note


def test_rotation_reencrypts_the_articles_and_rewrites_their_keys(make_app, make_candidate):
    offence = _offence(make_candidate, regraded_from=OLD_CATEGORY)
    old, new = BASE_CONFIG["DATA_ENCRYPTION_KEYS"], Fernet.generate_key().decode()
    new_hash_key = "a-new-hash-key-of-at-least-32-characters"
    rotated = make_app(DATA_ENCRYPTION_KEYS=f"{new},{old}", DATA_HASH_KEY=new_hash_key)
    with rotated.app_context():
        result = rotated.test_cli_runner().invoke(args=["data", "reencrypt"])
        assert result.exit_code == 0, result.output
        assert "offence: 1 rows re-encrypted" in result.output
        raw = _raw(offence.id)
        for token in (raw.article, raw.part, raw.regraded_from):
            Fernet(new).decrypt(token.encode())  # under the new key, or InvalidToken
        assert raw.article_key == criminal_code.article_key("2014", ARTICLE)  # the new hash key
        found = db.session.scalars(
            sa.select(Offence.id).where(
                Offence.article_key == criminal_code.article_key("2014", ARTICLE)
            )
        ).all()
        assert found == [offence.id]
        again = rotated.test_cli_runner().invoke(args=["data", "reencrypt"])
        assert "offence: 0 rows re-encrypted" in again.output
        db.session.remove()
    only_new = make_app(DATA_ENCRYPTION_KEYS=new, DATA_HASH_KEY=new_hash_key)
    with only_new.app_context():
        assert db.session.get(Offence, offence.id).article == ARTICLE
        db.session.remove()
