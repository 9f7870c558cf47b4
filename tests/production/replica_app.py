"""The app against a primary and its streaming replica, in a process of its own (the test
suite's own database connections know no replica). Run by tests/production/test_replica.py
with DATABASE_URL, DATABASE_REPLICA_URL and REPLICA_PORT set; prints what it saw as JSON.
"""

import json
import os
import threading
import time

import django
import psycopg2


def reads(client, url: str, **extra) -> dict:
    from django.db import connections
    from django.test.utils import CaptureQueriesContext

    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections["replica"]) as replica,
    ):
        response = client.get(url, **extra)
    return {"status": response.status_code, "primary": len(primary), "replica": len(replica)}


def main() -> dict:
    django.setup()
    from django.db import connections
    from django.test import Client
    from rest_framework.authtoken.models import Token

    from tests import factories

    person = factories.PersonFactory(name="Marina Replicova")
    admin = factories.UserFactory(is_staff=True, is_superuser=True)
    token = Token.objects.create(user=admin).key
    page = person.get_absolute_url()
    api = f"/api/v1/people/{person.slug}/"
    anonymous, staff = Client(), Client()
    staff.force_login(admin)
    seen = {
        "anonymous page": reads(anonymous, page),
        "anonymous api": reads(anonymous, api),
        "anonymous api again": reads(anonymous, api),
        "staff page": reads(staff, page),
        "token api": reads(Client(), api, HTTP_AUTHORIZATION=f"Token {token}"),
    }

    # The replica stops applying what it receives: a write waiting for remote_apply waits.
    standby = psycopg2.connect(
        host="127.0.0.1", port=os.environ["REPLICA_PORT"], user="postgres", dbname="postgres"
    )
    standby.autocommit = True
    with standby.cursor() as cursor:
        cursor.execute("SELECT pg_wal_replay_pause()")
    protecting = {}

    def protect():
        response = Client(HTTP_AUTHORIZATION=f"Token {token}").patch(
            api, data=json.dumps({"is_protected": True}), content_type="application/json"
        )
        protecting["status"] = response.status_code
        connections.close_all()

    thread = threading.Thread(target=protect)
    thread.start()
    thread.join(2)
    seen["protecting request returned while the replica was paused"] = not thread.is_alive()
    seen["anonymous page while paused"] = anonymous.get(page).status_code
    with standby.cursor() as cursor:
        cursor.execute("SELECT pg_wal_replay_resume()")
    thread.join(30)
    returned = time.monotonic()
    seen["protecting request"] = protecting.get("status")
    # At once, from the replica: no sleep, no retry.
    seen["anonymous page after"] = reads(anonymous, page)
    seen["anonymous api after"] = anonymous.get(api).status_code
    seen["listed after"] = person.slug in anonymous.get("/api/v1/people/").content.decode()
    seen["seconds from return to reads"] = round(time.monotonic() - returned, 3)
    standby.close()
    return seen


if __name__ == "__main__":
    print(json.dumps(main()))
