"""`famplan` match commands."""
