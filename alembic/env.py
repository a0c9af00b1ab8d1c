"""Runs migrations on the URL the application would use (see alembic.ini)."""

from sqlalchemy import Connection

from alembic import context
from versions.store import db
from versions.store.schema import is_modelled, metadata

config = context.config


def _url() -> str:
    passed = config.attributes.get("wirediff_url") or context.get_x_argument(
        as_dictionary=True
    ).get("db")
    return db.resolve_url(passed)


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        include_name=lambda name, type_, _parent: is_modelled(name, type_),
        compare_type=True,
    )


def run_migrations_offline() -> None:
    context.configure(
        url=db.normalise_url(_url()),
        target_metadata=metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    shared = config.attributes.get("connection")
    if shared is not None:  # wirediff holds the schema lock on it
        _configure(shared)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = db.make_engine(_url())
    try:
        db.use_wal(engine)
        with engine.connect() as connection:
            _configure(connection)
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
