"""Side effects that every path of a change must get: the admin, imports, history reverts, the
API and the shell all save through the models, so the registrations layer listens there.

- A capacity of an edition or sub-venue that changes, or a sub-venue removed, may let
  wait-listed delegations in.
- A deleted approved registration frees its places for the waiting list.
"""

from django.db.models.signals import post_delete, post_init, post_save, pre_save

from common.rows import built_in_memory
from events.models import Event, Venue

from .models import Participation
from .services import waitlist_promote


def _remember_capacity(sender, instance, **kwargs) -> None:
    instance._loaded_capacity = instance.__dict__.get("capacity")


def _capacity_before_save(sender, instance, **kwargs) -> None:
    """A row built in memory instead of loaded (a history revert, ``Event(pk=…)``) has not seen
    its stored capacity: read it now, so a change is noticed whatever the path."""
    if built_in_memory(instance):
        instance._loaded_capacity = (
            sender._base_manager.filter(pk=instance.pk).values_list("capacity", flat=True).first()
        )


def _capacity_saved(sender, instance, created, **kwargs) -> None:
    capacity = instance.capacity
    changed = not created and capacity != instance._loaded_capacity
    instance._loaded_capacity = capacity
    if changed:
        waitlist_promote(event=instance if sender is Event else instance.event)


def _venue_deleted(sender, instance, **kwargs) -> None:
    if instance.kind == Venue.Kind.SUB and Event.objects.filter(pk=instance.event_id).exists():
        waitlist_promote(event=instance.event)


def _participation_deleted(sender, instance, **kwargs) -> None:
    if instance.status == Participation.Status.APPROVED:
        waitlist_promote(event=instance.event)


def connect() -> None:
    """Connect the receivers (from RegistrationsConfig.ready)."""
    for model in (Event, Venue):
        post_init.connect(_remember_capacity, sender=model, dispatch_uid=f"capacity-{model}")
        pre_save.connect(
            _capacity_before_save, sender=model, dispatch_uid=f"capacity-pre-save-{model}"
        )
        post_save.connect(_capacity_saved, sender=model, dispatch_uid=f"capacity-save-{model}")
    post_delete.connect(_venue_deleted, sender=Venue, dispatch_uid="capacity-venue-deleted")
    post_delete.connect(
        _participation_deleted, sender=Participation, dispatch_uid="places-freed-by-deletion"
    )
