"""URLs of the sensor hub: the SensorThings API under /sta/v1.1/."""

from django.urls import path, re_path

from . import views
from .sta.views import sta

app_name = "sensors"

urlpatterns = [
    path("sta/v1.1", sta, name="sta-root"),
    re_path(r"^sta/v1\.1/(?P<path>.*)$", sta, name="sta"),
    path("sensors/", views.sensor_map, name="map"),
    path("sensors/datastreams/<int:pk>/", views.datastream_detail, name="datastream"),
    path("sensors/areas/<int:rule>/", views.tree_watering, name="areas"),
]
