import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hrguard.settings.embedded")
application = get_wsgi_application()

# A web process whose keys do not open the stored data refuses to start (instead of answering 500 on
# every page that shows an encrypted field).
from hrguard.core.keycheck import startup_check  # noqa: E402

startup_check()
