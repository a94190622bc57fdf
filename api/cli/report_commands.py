"""`famplan` report commands."""
