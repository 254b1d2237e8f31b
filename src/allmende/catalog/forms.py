"""Forms: the dataset search, and for editors dataset metadata and distributions."""

import datetime as dt

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import labels
from .dcat.project import DistributionFields, EntryFields
from .models import Dataset

JENA = "http://dcat-ap.de/def/politicalGeocoding/municipalityKey/16053000"
# The fields' text is German or English whatever the page's language (WCAG 3.1.2).
GERMAN, ENGLISH = {"lang": "de"}, {"lang": "en"}


class DatasetForm(forms.Form):
    publisher = forms.ModelChoiceField(queryset=None, label=_("Publisher"))
    title = forms.CharField(
        label=_("Title (German)"), max_length=1000, widget=forms.TextInput(attrs=GERMAN)
    )
    title_en = forms.CharField(
        label=_("Title (English)"),
        max_length=1000,
        required=False,
        widget=forms.TextInput(attrs=ENGLISH),
    )
    description = forms.CharField(
        label=_("Description (German)"), widget=forms.Textarea(attrs=GERMAN)
    )
    description_en = forms.CharField(
        label=_("Description (English)"), widget=forms.Textarea(attrs=ENGLISH), required=False
    )
    keywords = forms.CharField(
        label=_("Keywords"),
        required=False,
        help_text=_("Separate keywords with commas."),
        widget=forms.TextInput(attrs=GERMAN),
    )
    themes = forms.MultipleChoiceField(
        label=_("Themes"), required=False, widget=forms.CheckboxSelectMultiple
    )
    license = forms.ChoiceField(label=_("Licence"))
    accrual_periodicity = forms.ChoiceField(label=_("Update frequency"), required=False)
    access_rights = forms.ChoiceField(label=_("Access rights"), required=False)
    temporal_start = forms.DateField(
        label=_("Covers the time from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    temporal_end = forms.DateField(
        label=_("Covers the time until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    political_geocoding = forms.URLField(
        label=_("Area (political geocoding IRI)"),
        required=False,
        initial=JENA,
        assume_scheme="https",
    )
    contact_name = forms.CharField(label=_("Contact name"), max_length=500, required=False)
    contact_email = forms.EmailField(label=_("Contact email"), required=False)
    contact_url = forms.URLField(label=_("Contact web page"), required=False, assume_scheme="https")
    landing_page = forms.URLField(
        label=_("Web page about the data"), required=False, assume_scheme="https"
    )

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["publisher"].queryset = organisations
        self.fields["themes"].choices = labels.theme_choices()
        self.fields["license"].choices = labels.licence_choices()
        self.fields["accrual_periodicity"].choices = labels.frequency_choices()
        self.fields["access_rights"].choices = labels.access_choices()

    def entry_fields(self, iri: str = "") -> EntryFields:
        data = self.cleaned_data
        keywords = [k.strip() for k in data["keywords"].split(",") if k.strip()]
        return EntryFields(
            iri=iri,
            title=data["title"],
            title_en=data["title_en"],
            description=data["description"],
            description_en=data["description_en"],
            keywords=keywords,
            themes=data["themes"],
            license=data["license"],
            accrual_periodicity=data["accrual_periodicity"],
            access_rights=data["access_rights"],
            temporal_start=data["temporal_start"],
            temporal_end=data["temporal_end"],
            political_geocoding=data["political_geocoding"],
            contact_name=data["contact_name"],
            contact_email=data["contact_email"],
            contact_url=data["contact_url"],
            landing_page=data["landing_page"],
        )

    @staticmethod
    def initial_for(dataset: Dataset) -> dict:
        return {
            "publisher": dataset.publisher,
            "title": dataset.title,
            "title_en": dataset.title_en,
            "description": dataset.description,
            "description_en": dataset.description_en,
            "keywords": ", ".join(dataset.keywords),
            "themes": dataset.themes,
            "license": dataset.license,
            "accrual_periodicity": dataset.accrual_periodicity,
            "access_rights": dataset.access_rights,
            "temporal_start": dataset.temporal_start,
            "temporal_end": dataset.temporal_end,
            "political_geocoding": dataset.political_geocoding,
            "contact_name": dataset.contact_name,
            "contact_email": dataset.contact_email,
            "contact_url": dataset.contact_url,
            "landing_page": dataset.landing_page,
        }


class DistributionForm(forms.Form):
    file = forms.FileField(label=_("Upload a file"), required=False)
    access_url = forms.URLField(
        label=_("…or link to it (access URL)"),
        required=False,
        max_length=2000,
        assume_scheme="https",
    )
    download_url = forms.URLField(
        label=_("Direct download URL"), required=False, max_length=2000, assume_scheme="https"
    )
    title = forms.CharField(label=_("Title"), max_length=1000, required=False)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea, required=False)
    format = forms.ChoiceField(label=_("Format"), required=False)
    media_type = forms.CharField(
        label=_("Media type"), max_length=200, required=False, help_text=_("e.g. text/csv")
    )

    def __init__(self, *args, has_file: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.has_file = has_file
        self.fields["format"].choices = labels.file_type_choices()
        limit = settings.ALLMENDE_MAX_UPLOAD_BYTES // (1024 * 1024)
        self.fields["file"].help_text = _("At most %(mb)s MB.") % {"mb": limit}

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        limit = settings.ALLMENDE_MAX_UPLOAD_BYTES
        if upload is not None and upload.size > limit:
            raise forms.ValidationError(
                _("The file is larger than the limit of %(limit)s bytes.") % {"limit": limit}
            )
        return upload

    def clean(self):
        data = super().clean()
        if not (
            data.get("file") or data.get("access_url") or data.get("download_url") or self.has_file
        ):
            raise forms.ValidationError(_("Upload a file or give its URL."))
        return data

    def distribution_fields(self, iri: str = "") -> DistributionFields:
        data = self.cleaned_data
        return DistributionFields(
            iri=iri,
            title=data["title"] or (data["file"].name if data.get("file") else ""),
            description=data["description"],
            access_url=data["access_url"],
            download_url=data["download_url"],
            format=data["format"],
            media_type=data["media_type"].strip(),
        )


class DatasetSearchForm(forms.Form):
    """The words, sorting, date range and map area of the dataset list (facet values are
    read apart: they are open-ended lists). Invalid fields are reported and left out."""

    #: Sort values of earlier versions of the page, still found in bookmarks.
    OLD_SORTS = {"newest": "modified", "updated": "modified"}
    SORTS = {
        "relevance": _("Relevance"),
        "modified": _("Last modified"),
        "title": _("Title"),
    }

    q = forms.CharField(label=_("Search datasets"), max_length=200, required=False)
    sort = forms.CharField(label=_("Sort by"), required=False)
    modified_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    modified_until = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    bbox = forms.CharField(
        label=_("Map area"),
        required=False,
        max_length=200,
        help_text=_(
            "West, south, east and north edge in degrees (WGS 84), separated by commas, "
            "e.g. 11.45,50.85,11.70,50.99 for Jena."
        ),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
    )

    def __init__(self, data, **kwargs) -> None:
        data = data.copy()
        data["sort"] = self.OLD_SORTS.get(data.get("sort", ""), data.get("sort", ""))
        data["q"] = data.get("q", "")[:200]
        super().__init__(data, **kwargs)

    def clean_q(self) -> str:
        return self.cleaned_data["q"].strip()

    def clean_sort(self) -> str:
        sort = self.cleaned_data["sort"]
        return sort if sort in self.SORTS else "relevance"

    def clean_bbox(self) -> tuple[float, float, float, float] | None:
        text = self.cleaned_data["bbox"].strip()
        if not text:
            return None
        try:
            west, south, east, north = (float(part) for part in text.split(","))
        except ValueError:
            raise forms.ValidationError(
                _("Enter four numbers separated by commas: west, south, east, north."),
                code="invalid",
            ) from None
        if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
            raise forms.ValidationError(
                _(
                    "West must not exceed east, nor south north; longitudes lie between "
                    "-180 and 180, latitudes between -90 and 90."
                ),
                code="out_of_range",
            )
        return west, south, east, north

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("modified_from"), data.get("modified_until")
        if start and end and start > end:
            self.add_error("modified_until", _("The end lies before the start."))
        return data

    def modified_range(self) -> tuple[dt.datetime | None, dt.datetime | None]:
        """The valid date range as times: from the start of the first day to the end of
        the last, in the site's time zone."""
        start = self.cleaned_data.get("modified_from")
        end = self.cleaned_data.get("modified_until")  # gone when it lies before the start
        zone = timezone.get_current_timezone()
        return (
            dt.datetime.combine(start, dt.time.min, zone) if start else None,
            dt.datetime.combine(end, dt.time.max, zone) if end else None,
        )
