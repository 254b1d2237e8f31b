"""Template filters for catalogue pages: vocabulary labels and facet links."""

from django import template
from django.http import QueryDict

from .. import labels

register = template.Library()


@register.filter
def theme_label(value: str) -> str:
    return labels.theme_label(value)


@register.filter
def licence_label(value: str) -> str:
    return labels.licence_label(value)


@register.filter
def frequency_label(value: str) -> str:
    return labels.frequency_label(value)


@register.filter
def access_label(value: str) -> str:
    return labels.access_label(value)


@register.filter
def format_label(value: str) -> str:
    return labels.code(value).replace("_SRVC", "")


@register.simple_tag
def facet_label(facet: str, value: str) -> str:
    return labels.facet_label(facet, value)


@register.simple_tag
def without(query: QueryDict, key: str, value: str = "") -> str:
    """The query string with one filter value (or the whole key) removed, page reset."""
    copy = query.copy()
    copy.pop("page", None)
    if value:
        copy.setlist(key, [v for v in copy.getlist(key) if v != value])
    else:
        copy.pop(key, None)
    return copy.urlencode()


@register.simple_tag
def page_link(query: QueryDict, page: int) -> str:
    copy = query.copy()
    copy["page"] = str(page)
    return copy.urlencode()
