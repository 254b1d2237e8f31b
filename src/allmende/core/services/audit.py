"""Writing the audit log."""

from typing import Any

from django.db import models

from ..models import AuditEntry


def log_action(
    obj: models.Model, action: str, *, user: Any = None, data: dict | None = None
) -> None:
    """Record that ``user`` did ``action`` (``domain.object.verb``) to ``obj``."""
    AuditEntry.objects.create(
        user=user if getattr(user, "is_authenticated", False) else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:255],
        data=data or {},
    )
