"""Series, editions, venues, sessions and speakers, agreements and their parties, key figures and
photos: models, querysets, admin, the agreement export. Nothing public-facing and nothing about
registrations."""
