"""Signals that let apps of one layer react to each other without importing each other."""

from django.dispatch import Signal

#: Sent by ``load_demo`` once the demo data is in place, with ``sample`` (the made-up sample
#: edition) as a keyword argument: apps add their own demo rows to it.
demo_loaded = Signal()
