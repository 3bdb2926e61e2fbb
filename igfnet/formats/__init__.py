"""Readers and writers for the field's exchange formats."""
