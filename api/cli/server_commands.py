"""`famplan` server commands."""
