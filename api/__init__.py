"""The open-data and integration surface: the versioned JSON API (``/api/v1/``), its OpenAPI
schema and docs page, staff API tokens, rate limits, idempotent writes, webhooks, the bulk
open-data dump and the embeddable widget. It reads through the domain apps' querysets and
selectors and writes only through ``registrations.services``."""
