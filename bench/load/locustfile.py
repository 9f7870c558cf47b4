"""The load mix: 80% public pages and search, 15% API reads, 5% authenticated API writes.

Run through bench/load/run.py, which prepares the database, starts gunicorn and passes:
LOAD_TARGETS (JSON of slugs and ids to visit), LOAD_TOKEN (an API token allowed to add
groups and citations), LOAD_WRITES_LOG (where every acknowledged write is recorded, to be
checked in the database afterwards), LOAD_MAX_REQUESTS (stop after this many).
"""

import json
import os
import random
import uuid
from pathlib import Path

from locust import FastHttpUser, constant, events, task

TARGETS = json.loads(Path(os.environ["LOAD_TARGETS"]).read_text())
TOKEN = os.environ["LOAD_TOKEN"]
WRITES_LOG = os.environ["LOAD_WRITES_LOG"]
MAX_REQUESTS = int(os.environ.get("LOAD_MAX_REQUESTS", "200000"))
SEARCHES = ["mothers", "матери", "Tsukanova", "Цуканова", "council", "prisoners", "way home"]
LISTS = ["/groups/", "/people/", "/events/", "/statements/", "/sources/"]
API_LISTS = ["groups", "people", "events", "statements", "sources", "memberships"]

_writes = open(WRITES_LOG, "a", buffering=1)  # noqa: SIM115 (open for the whole run)
_runner = [None]


@events.init.add_listener
def remember_runner(environment, **kwargs):
    _runner[0] = environment.runner


@events.request.add_listener
def stop_after_max(**kwargs):
    """Bounded in count as well as in time (locust's -t)."""
    runner = _runner[0]
    if runner is not None and runner.stats.total.num_requests >= MAX_REQUESTS:
        runner.quit()


class Visitor(FastHttpUser):
    wait_time = constant(0)

    # 80: public pages and search -------------------------------------------------------
    @task(20)
    def home(self):
        self.client.get("/", name="public: home")

    @task(20)
    def public_list(self):
        path = random.choice(LISTS)
        page = random.choice(["", "?page=2"])
        self.client.get(path + page, name="public: list")

    @task(25)
    def public_detail(self):
        kind = random.choice(["groups", "people", "events", "statements", "sources"])
        slug = random.choice(TARGETS[kind])
        self.client.get(f"/{kind}/{slug}/", name="public: detail")

    @task(15)
    def search(self):
        self.client.get("/search/", params={"q": random.choice(SEARCHES)}, name="public: search")

    # 15: API reads ---------------------------------------------------------------------
    @task(10)
    def api_list(self):
        self.client.get(f"/api/v1/{random.choice(API_LISTS)}/", name="api: list")

    @task(5)
    def api_detail(self):
        kind = random.choice(["groups", "people", "events", "statements"])
        self.client.get(f"/api/v1/{kind}/{random.choice(TARGETS[kind])}/", name="api: detail")

    # 5: authenticated API writes -------------------------------------------------------
    @task(5)
    def api_write(self):
        name = f"Load group {uuid.uuid4().hex}"
        source = random.choice(TARGETS["source_ids"])
        body = {
            "name": name,
            "kind": "advocacy_group",
            "status": "draft",
            "citations": [{"source": source, "excerpt": "written under load"}],
        }
        with self.client.post(
            "/api/v1/groups/",
            json=body,
            headers={"Authorization": f"Token {TOKEN}"},
            name="api: write",
            catch_response=True,
        ) as response:
            if response.status_code == 201:
                _writes.write(json.dumps({"id": response.json()["id"], "name": name}) + "\n")
                response.success()
            else:
                response.failure(f"{response.status_code}: {response.text[:200]}")
