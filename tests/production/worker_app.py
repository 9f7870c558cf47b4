"""The app as gunicorn serves it, each answer saying which worker process gave it
(`X-Worker-Pid`), so a test can reach every worker (tests/production/test_two_workers.py)."""

import os

from config.wsgi import application as django_application


def application(environ, start_response):
    def start(status, headers, exc_info=None):
        return start_response(status, [*headers, ("X-Worker-Pid", str(os.getpid()))], exc_info)

    return django_application(environ, start)
