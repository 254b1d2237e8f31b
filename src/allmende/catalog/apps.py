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
