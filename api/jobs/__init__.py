"""Background solver jobs whose state lives in the `job` table."""
