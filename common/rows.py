"""Tell a row loaded from the database from one built in memory with the key of a stored row.

Receivers that compare a row's new values with those it was loaded with (a capacity raised, a
session moved to another edition) note the old values in ``post_init``. A row built in memory
has no such values: a version restored from the history (django-simple-history builds it from
the historical record) or ``Model(pk=…, …).save()``. Those read the stored values in
``pre_save`` instead, so every path of a change gets the same side effects.
"""

from django.db import models
from simple_history.manager import SIMPLE_HISTORY_REVERSE_ATTR_NAME


def built_in_memory(instance: models.Model) -> bool:
    """Say whether ``instance`` updates a stored row without having been loaded from it."""
    if instance.pk is None:
        return False
    return hasattr(instance, SIMPLE_HISTORY_REVERSE_ATTR_NAME) or instance._state.db is None
