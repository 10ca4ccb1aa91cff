"""Offline retrieval evaluation: python -m eval (see eval/README.md)."""
