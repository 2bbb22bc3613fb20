"""Settings for benchmark runs only: the product's settings plus what the harness needs.

gunicorn is started with DJANGO_SETTINGS_MODULE=bench.settings so that the hello-world view and
the admin page-size tweak (bench/urls.py) never reach the product's URLconf.
"""

from kam.settings import *  # noqa: F403
from kam.settings import BASE_DIR, TEMPLATES

ROOT_URLCONF = "bench.urls"

# The load generators talk plain HTTP on loopback. With DEBUG=0 the product marks its cookies
# Secure, and HTTP clients (requests, http.cookiejar) then never send them back over http://.
# Turning the flags off changes what the client sends, not what the server does per request.
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False

# The stand-in PDF template (bench/templates/bench/) is found without making bench an app.
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], BASE_DIR / "bench" / "templates"]
