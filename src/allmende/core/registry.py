"""Small registries through which domain apps contribute to core pages.

Core knows no domain. A domain registers a block for the home page in its
``AppConfig.ready``: a template name and a function returning that template's context.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest


@dataclass(frozen=True)
class HomeBlock:
    template: str
    context: Callable[[HttpRequest], dict]
    order: int = 100


home_blocks: list[HomeBlock] = []


def register_home_block(block: HomeBlock) -> None:
    """Add a block to the home page (once per template)."""
    if all(b.template != block.template for b in home_blocks):
        home_blocks.append(block)
        home_blocks.sort(key=lambda b: b.order)
