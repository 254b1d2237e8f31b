"""URL map: each domain brings its own ``urls.py``; core has the home page and accounts."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from allmende.catalog.api import router as catalog_api
from allmende.core.api import create_api
from allmende.core.views import media
from allmende.sensors.api import router as sensors_api

api = create_api(
    title="Allmende API",
    version="1",
    description="The native JSON API of Allmende. Reading is open; writing needs an API "
    "token sent as Authorization: Bearer <token>. See docs/api.md.",
    routers=[("", catalog_api), ("", sensors_api)],
)

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("allmende.sensors.urls")),
    path("", include("allmende.catalog.urls")),
    path("", include("allmende.core.urls")),
    path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", media, name="media"),
]
