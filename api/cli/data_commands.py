"""`famplan` data commands."""
