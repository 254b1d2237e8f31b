"""The background worker runs registered tasks on their schedule; one failing task
never stops the others."""

import pytest

from allmende.core import worker

pytestmark = pytest.mark.django_db  # run_due closes stale DB connections


@pytest.fixture
def own_tasks(monkeypatch):
    monkeypatch.setattr(worker, "tasks", {})
    return worker.tasks


def test_tasks_run_when_due_and_failures_are_contained(own_tasks, caplog):
    calls = []
    worker.register_periodic("a", 10, lambda: calls.append("a"))
    worker.register_periodic("broken", 5, lambda: 1 / 0)
    due: dict[str, float] = {}
    worker.run_due(due, 100.0)
    assert calls == ["a"] and due == {"a": 110.0, "broken": 105.0}
    assert "worker task broken failed" in caplog.text
    worker.run_due(due, 106.0)  # only the broken one is due again
    assert calls == ["a"] and due["broken"] == 111.0
    worker.run_due(due, 110.0)
    assert calls == ["a", "a"]


def test_run_forever_stops_when_asked(own_tasks):
    import threading

    stop = threading.Event()
    worker.register_periodic("stopper", 60, stop.set)
    worker.run_forever(stop, tick=0.01)
    assert stop.is_set()
