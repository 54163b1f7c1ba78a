"""Institutions and people: their models, USCC validation, name and code matching, their admin
and the institution import/export. Depends only on ``common``."""
