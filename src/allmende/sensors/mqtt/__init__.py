"""MQTT for the sensor hub (SensorThings 1.1 MQTT extension), on the broker named by
``ALLMENDE_MQTT_URL``: the subscriber creates observations published to the creation
topics (``subscriber.py``, a worker service); the publisher tells subscribers about
every entity created or changed (``publisher.py``). See docs/sensors.md."""
