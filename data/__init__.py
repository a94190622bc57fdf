"""The domain: reference data, tables, demo scenario, import/export, database access.

Importing this package imports nothing heavy: the pure helpers (`data.languages`,
`data.travel`, `data.geography`) may be used by the solver packages, which must not
pull in SQLModel or a database session.
"""
