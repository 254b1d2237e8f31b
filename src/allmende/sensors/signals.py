"""Signals of the sensor hub, sent after the transaction that wrote commits.

- ``observations_stored(sender, observations)``: a list of (id, NewObservation) just
  stored (API, dataArray, MQTT, adapters); the MQTT publisher tells subscribers.
- ``entity_saved(sender, etype, pk)``: an entity other than an Observation was created or
  changed (``etype`` the API's EntityType).
- ``entity_deleted(sender, etype, pk)``: it was deleted.
"""

from django.dispatch import Signal

observations_stored = Signal()
entity_saved = Signal()
entity_deleted = Signal()
