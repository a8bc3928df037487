"""The models carry nothing SQLite-only: the whole schema compiles for PostgreSQL (a county hub's engine)."""

from sqlalchemy.dialects import postgresql
from sqlalchemy.schema import CreateIndex, CreateTable

from app.domain.models import Base


def test_schema_compiles_for_postgresql() -> None:
    dialect = postgresql.dialect()
    statements = []
    for table in Base.metadata.sorted_tables:
        statements.append(str(CreateTable(table).compile(dialect=dialect)))
        statements += [str(CreateIndex(index).compile(dialect=dialect)) for index in table.indexes]
    ddl = "\n".join(statements)
    assert "CREATE TABLE household" in ddl and "CREATE INDEX ix_household_initials" in ddl
    assert "AUTOINCREMENT" not in ddl.upper()
