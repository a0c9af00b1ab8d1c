"""The schema: created from nothing, equal to the models, and migrated without losing stories."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from tests.store.test_ingest import long_take
from versions.errors import NeedsUpgrade
from versions.service import Archive
from versions.store import db
from versions.store.schema import is_modelled, metadata


def test_a_new_database_is_created_at_head(db_url: str) -> None:
    with Archive.open(db_url) as archive:
        assert archive.stories() == []
    engine = db.make_engine(db_url)
    try:
        assert db.current_revision(engine) == db.head_revision()
        assert {"story", "version", "sentence", "band"} <= set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_head_matches_the_models(db_url: str) -> None:
    db.upgrade(db_url)
    engine = db.make_engine(db_url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection,
                opts={
                    "include_name": lambda name, type_, _parent: is_modelled(name, type_),
                    "compare_type": True,
                },
            )
            assert compare_metadata(context, metadata) == []
    finally:
        engine.dispose()


def test_an_older_database_asks_for_db_upgrade(db_url: str, samples: Path) -> None:
    with Archive.open(db_url) as archive:
        list(archive.ingest_paths([samples / "peru-earthquake"]))
    db.downgrade(db_url, "-1")

    with pytest.raises(NeedsUpgrade, match="wirediff db upgrade"):
        Archive.open(db_url)


def test_downgrade_and_upgrade_keep_the_stories(db_url: str, samples: Path) -> None:
    with Archive.open(db_url) as archive:
        list(archive.ingest_paths([samples / "peru-earthquake", samples / "skarvik-castell-deal"]))
        before = [(s.key, s.title, s.versions) for s in archive.stories()]
        log_before = archive.compare(before[0][0]).to_dict()

    db.downgrade(db_url, "-1")
    db.upgrade(db_url)

    with Archive.open(db_url) as archive:
        assert [(s.key, s.title, s.versions) for s in archive.stories()] == before
        assert archive.compare(before[0][0]).to_dict() == log_before
        # the search index was rebuilt from the stored versions
        hits = archive.search("earthquake")
        assert [hit.story_key for hit in hits] == [
            key for key, _, _ in before if "earthquake" in key
        ]


def test_the_upgrade_indexes_a_long_take_in_pieces(db_url: str) -> None:
    with Archive.open(db_url) as archive:
        (result,) = archive.ingest(long_take().encode(), source="long.txt")
    db.downgrade(db_url, "-1")
    db.upgrade(db_url)

    with Archive.open(db_url) as archive:
        # the two words lie in different pieces (test_ingest checks where)
        assert [hit.story_key for hit in archive.search("zanzibar quokka")] == [result.story]
        assert archive.search("zanzibar wombat") == []
