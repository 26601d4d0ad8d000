"""The soak's virtual users (locust), driven by bench/soak.py — not run on its own.

The plan (JSON, path in SOAK_PLAN) names the pages each kind of user visits, their session
cookies and the submission payload; every acknowledged submission's code is appended to
SOAK_ACKNOWLEDGED so that the soak can check afterwards that none was lost.
"""

import json
import os
import random
import uuid

from locust import HttpUser, between, task

PLAN = json.loads(open(os.environ["SOAK_PLAN"], encoding="utf-8").read())  # noqa: SIM115
ACKNOWLEDGED = os.environ["SOAK_ACKNOWLEDGED"]


class PageUser(HttpUser):
    """A citizen reading the portal and the catalogue, or an officer working through their lists."""

    weight = 4
    wait_time = between(0.5, 2)

    @task
    def page(self):
        page = random.choice(PLAN["pages"])  # noqa: S311 — load mix, not security
        headers = {"Host": "localhost", **({"Cookie": page["cookie"]} if page.get("cookie") else {})}
        kwargs = {"headers": headers, "name": page["key"], "allow_redirects": False, "catch_response": True}
        if page["method"] == "POST":
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            response_cm = self.client.post(page["path"], data=page["body"], **kwargs)
        else:
            response_cm = self.client.get(page["path"], **kwargs)
        with response_cm as response:
            if response.status_code != page["expected"]:
                response.failure(f"{response.status_code} instead of {page['expected']}")


class Submitter(HttpUser):
    """An integration (or a citizen's browser) submitting a dossier with two PDF attachments."""

    weight = 1
    wait_time = between(1, 3)

    @task
    def submit(self):
        payload = {**PLAN["submission"], "idempotency_key": uuid.uuid4().hex}
        headers = {"Host": "localhost", "Authorization": f"Token {PLAN['token']}"}
        with self.client.post(
            "/api/v1/dossiers/submit/", json=payload, headers=headers, name="submit", catch_response=True
        ) as response:
            if response.status_code != 201:
                response.failure(f"{response.status_code}: {response.text[:200]}")
                return
            with open(ACKNOWLEDGED, "a", encoding="utf-8") as out:
                out.write(f"{payload['idempotency_key']} {response.json()['code']}\n")
