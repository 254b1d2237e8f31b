from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "allmende.catalog"
    label = "catalog"
    verbose_name = _("Data catalogue")

    def ready(self) -> None:
        from allmende.core.registry import HomeBlock, register_home_block

        from .selectors import home_figures

        register_home_block(HomeBlock("catalog/home_block.html", home_figures, order=10))
        _register_worker_tasks()
        _connect_sparql_store()
        _connect_search()
        _connect_derived()
        _connect_offers()


def _connect_sparql_store() -> None:
    from .reindex import register_reindexer
    from .services.sparql_store import connect_receivers, rebuild_store

    connect_receivers()
    register_reindexer("sparql", rebuild_store)


def _connect_search() -> None:
    from . import search
    from .reindex import register_reindexer
    from .search.receivers import connect

    connect()
    register_reindexer("search", lambda progress: search.rebuild(progress=progress))


def _connect_offers() -> None:
    from allmende.core.publishing import catalogue_offer

    from .services.offers import on_offer

    catalogue_offer.connect(on_offer, dispatch_uid="catalog.offers")


def _connect_derived() -> None:
    from .services.derived import connect

    connect()


def _register_worker_tasks() -> None:
    from allmende.core.worker import register_periodic

    from .services.derived import catch_up
    from .services.harvesting import run_due_harvests
    from .services.quality import daily_snapshot, measure_stale
    from .services.url_checks import run_url_checks

    # Every 10 s: scheduled sources, and runs asked for in the web UI, start soon.
    register_periodic("catalog.harvest", 10, run_due_harvests)
    # Every 5 s: search index and SPARQL store catch up with bulk imports and harvests.
    register_periodic("catalog.derived", 5, catch_up)
    # Metadata quality is derived data: measured here, never during imports and harvests.
    register_periodic("catalog.quality.measure", 30, measure_stale)
    register_periodic("catalog.quality.urls", 60, run_url_checks)
    register_periodic("catalog.quality.snapshot", 3600, daily_snapshot)
