"""A device for the MQTT benchmark: publishes COUNT QoS-1 observations spread over the
given Datastreams as fast as the broker acknowledges them (up to 1,000 unacknowledged).

    python -m benchmarks.mqtt_device mqtt://127.0.0.1:PORT COUNT FIRST STREAM...

(FIRST: the number of the first message, so two runs send different observations.)
"""

import json
import sys
import time
from datetime import UTC, datetime, timedelta

from allmende.sensors.mqtt.connection import broker_from_url
from allmende.sensors.mqtt.wire import Connection

WINDOW = 1000


def main() -> None:
    url, count, first = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    streams = [int(s) for s in sys.argv[4:]]
    wire = Connection(broker_from_url(url), f"bench-device-{time.monotonic_ns()}")
    wire.connect(clean_start=True)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    sent, unacked = 0, set()
    while sent < count or unacked:
        if sent < count and len(unacked) < WINDOW:
            part = min(200, count - sent, WINDOW - len(unacked))
            stream = streams[(sent // 200) % len(streams)]
            payloads = [
                json.dumps(
                    {
                        "phenomenonTime": (start + timedelta(seconds=first + n)).isoformat(),
                        "result": n % 400 / 10,
                    }
                ).encode()
                for n in range(sent, sent + part)
            ]
            ids = wire.publish(
                f"v1.1/Datastreams({stream})/Observations", payloads, first_id=sent + 1
            )
            unacked.update(ids)
            sent += part
        wire.receive(0.001 if sent < count else 0.5)
        unacked -= wire.acked
        wire.acked.clear()
    wire.close()


if __name__ == "__main__":
    main()
