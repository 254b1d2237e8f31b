"""Template filters for catalogue pages: vocabulary labels, facet links, language marks."""

from django import template
from django.conf import settings
from django.http import QueryDict
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.translation import get_language

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
def hidden_inputs(query: QueryDict, skip: str = "", keep: str = "") -> str:
    """Hidden inputs carrying the parameters of ``query`` into another form on the page:
    all but those named in ``skip`` (or only those named in ``keep``); never the page."""
    skipped, kept = set(skip.split()) | {"page"}, set(keep.split())
    pairs = (
        (key, value)
        for key, values in query.lists()
        if key not in skipped and (not kept or key in kept)
        for value in values
        if value
    )
    return format_html_join("", '<input type="hidden" name="{}" value="{}">', pairs)


@register.simple_tag
def only(query: QueryDict, keep: str) -> str:
    """The query string with only the parameters named in ``keep``."""
    copy = QueryDict(mutable=True)
    for key in keep.split():
        if values := [v for v in query.getlist(key) if v]:
            copy.setlist(key, values)
    return copy.urlencode()


@register.simple_tag
def page_link(query: QueryDict, page: int) -> str:
    copy = query.copy()
    copy["page"] = str(page)
    return copy.urlencode()


@register.filter
def in_language(text, language: str) -> str:
    """``text`` written in ``language``, wrapped in ``<span lang>`` when the page is in
    another language (WCAG 3.1.2), e.g. a German title on an English page."""
    if text is None or text == "":
        return ""
    page = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    if not language or language.split("-")[0] == page:
        return conditional_escape(text)
    return format_html('<span lang="{}">{}</span>', language, text)
