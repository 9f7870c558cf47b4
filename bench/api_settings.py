"""Settings for the API benchmark only: the project's settings, plus a URLconf with the
baseline view, and throttling out of the way of the load generator."""

from config.settings import *  # noqa: F403
from config.settings import REST_FRAMEWORK

ROOT_URLCONF = "bench.api_urls"
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {"anon": "100000000/second", "user": "100000000/second"},
}
