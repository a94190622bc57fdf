"""Services: load snapshots from the database, call the solvers, persist results."""
