"""URL map: each domain brings its own ``urls.py``; core has the home page and accounts."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from allmende.core.views import media

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("allmende.catalog.urls")),
    path("", include("allmende.core.urls")),
    path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", media, name="media"),
]
