"""WSGI entry point, as gunicorn serves it (see gunicorn.conf.py)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "refuge.settings")

application = get_wsgi_application()
