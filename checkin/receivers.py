"""Check-in's part of the demo: two entrances of the sample edition's main gate and a door
of its first sub-venue, added once when ``load_demo`` has run (common.signals.demo_loaded)."""

from common.signals import demo_loaded
from events.models import Event, Venue

from .models import CheckinList, Entrance


def _demo_loaded(sender, *, sample: Event, **kwargs) -> None:
    if CheckinList.objects.filter(event=sample).exists():
        return
    main = CheckinList.objects.create(event=sample, name="Main gate 正门")
    Entrance.objects.create(checkin_list=main, name="North entrance 北门", order=0)
    Entrance.objects.create(checkin_list=main, name="South entrance 南门", order=1)
    venue = sample.venues.filter(kind=Venue.Kind.SUB).order_by("order", "pk").first()
    if venue is not None:
        door = CheckinList.objects.create(event=sample, name=f"{venue.name} door", venue=venue)
        Entrance.objects.create(checkin_list=door, name=f"{venue.name_zh_hans or venue.name} 入口")


def connect() -> None:
    """Connect the receivers (from CheckinConfig.ready)."""
    demo_loaded.connect(_demo_loaded, dispatch_uid="checkin-demo-entrances")
