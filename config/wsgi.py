"""The WSGI application gunicorn serves. A server is production unless told otherwise:
started without DJANGO_SETTINGS_MODULE it takes the production settings, which refuse
to start without their secrets, rather than the local ones (debug, a published key).
`manage.py` keeps the local settings for a developer's machine."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

application = get_wsgi_application()
