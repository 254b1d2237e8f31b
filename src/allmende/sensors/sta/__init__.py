"""The OGC SensorThings API 1.1 (Sensing part) at /sta/v1.1/."""
