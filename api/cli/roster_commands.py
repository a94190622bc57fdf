"""`famplan` roster commands."""
