"""Signals the floor sends and the layers above receive, so that core imports none of them."""

from django.dispatch import Signal

# Sent after a bulk write that sent no model signals (the demo loader, a restore): whatever was
# derived from the data (cached pages) is out of date as a whole.
data_replaced = Signal()
