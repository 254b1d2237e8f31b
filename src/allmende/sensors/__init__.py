"""The sensor hub: OGC SensorThings API 1.1, MQTT and device adapters (see docs/sensors.md)."""
