"""Alembic environment: runs on the connection handed in by ``app.storage.migrate`` (never a URL with a key)."""

from alembic import context

import app.sync.models  # noqa: F401 (the sync tables register on the same metadata)
from app.domain.models import Base

target_metadata = Base.metadata
connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through app.storage.migrate, which supplies the connection")
context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
