"""One adapter module per vendor."""
