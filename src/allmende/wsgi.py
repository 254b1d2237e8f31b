"""WSGI entry point for a process manager (gunicorn, uWSGI) behind a reverse proxy."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "allmende.settings")
application = get_wsgi_application()
