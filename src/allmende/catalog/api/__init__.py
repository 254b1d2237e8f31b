"""The catalogue's native JSON API (mounted at ``/api/v1/``, see docs/api.md).

Thin views: bodies are checked against the schemas, the services in
``catalog/services/datasets.py`` do every write (permissions, audit log, signals), and
their refusals become HTTP errors in ``common.service_errors``.
"""

from ninja import Router

from . import datasets, distributions

router = Router()
router.add_router("", datasets.router)
router.add_router("", distributions.router)

__all__ = ["router"]
