"""Upgrading a database that holds data, from each earlier schema revision, on SQLite and
PostgreSQL: maps, their revisions and (where the schema had them) users and roles survive.

The data is written by today's code, then the schema is taken down to the earlier revision
(Alembic downgrade: the tables that revision had keep their rows) and upgraded again, as a
site upgrading loopwise would.
"""

from __future__ import annotations

import pytest
from alembic import command
from alembic.script import ScriptDirectory

from loopwise.accounts import Accounts
from loopwise.store.migrate import alembic_config, head_schema_revision

from .conftest import TestDatabase

PASSWORD = "a long passphrase"


def _earlier_revisions() -> list[str]:
    script = ScriptDirectory.from_config(alembic_config())
    return sorted(
        s.revision for s in script.walk_revisions() if s.revision != script.get_current_head()
    )


#: The first revision with the accounts tables (users, sessions, tokens, members).
ACCOUNTS_FROM = "0003"


@pytest.mark.parametrize("earlier", _earlier_revisions())
def test_upgrade_from_an_earlier_revision_keeps_the_data(
    database: TestDatabase,
    sample_map,
    earlier: str,  # type: ignore[no-untyped-def]
) -> None:
    store = database.open()
    store.create_map(sample_map, author="ana")
    changed = sample_map.model_copy(deep=True)
    changed.factors[0].label = "Rough sleeping"
    store.save_map(changed, author="bob", based_on=1, message="rename")
    accounts = Accounts(store)
    accounts.add_user("ana", PASSWORD)
    accounts.grant(sample_map.slug, "ana", "editor")
    expected_map = store.get_map(sample_map.slug)
    expected_history = [(r.number, r.author, r.message) for r in store.history(sample_map.slug)]

    config = alembic_config()
    with store.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, earlier)
    assert store.current_schema_revision() == earlier

    upgraded = database.open()  # opening migrates to the head
    assert upgraded.current_schema_revision() == head_schema_revision()
    assert upgraded.get_map(sample_map.slug) == expected_map
    history = [(r.number, r.author, r.message) for r in upgraded.history(sample_map.slug)]
    assert history == expected_history
    assert [c.entity_id for c in upgraded.diff(sample_map.slug, 1, 2)] == [changed.factors[0].id]
    assert upgraded.map_at(sample_map.slug, 1).factors[0].label == sample_map.factors[0].label
    again = Accounts(upgraded)
    if earlier >= ACCOUNTS_FROM:  # the schema had users: they and their roles are still there
        assert again.authenticate("ana", PASSWORD) is not None
        assert ("ana", "editor") in again.members(sample_map.slug)
    else:  # the accounts tables came back empty, and work
        assert again.list_users() == []
        again.add_user("ana", PASSWORD)
        assert again.authenticate("ana", PASSWORD) is not None
    upgraded.save_map(sample_map, author="ana", based_on=upgraded.version(sample_map.slug))
    assert len(upgraded.history(sample_map.slug)) == 3  # and it takes new revisions
