import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
application = get_wsgi_application()

# The web process runs extraction too (promoting a sentence; every task in the embedded
# default): load the learned models now, so a bad model file stops it at start.
from analysis.models import check_models  # noqa: E402

check_models()
