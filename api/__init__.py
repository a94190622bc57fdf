"""The FastAPI service, its services (DB snapshot → solver → persisted result) and the CLI."""
