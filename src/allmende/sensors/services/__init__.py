"""Writing sensor data: entities, observations in bulk, messages from devices."""
