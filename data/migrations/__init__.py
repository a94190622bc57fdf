"""Alembic migrations of the famplan schema (run through `data.migrate`)."""
