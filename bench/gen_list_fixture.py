#!/usr/bin/env python3
"""Writes the fixture document for the list-at-depth benchmark.

One business owning COUNT WABAs (default 100,000), plus the app, the admin
system user and the token needed to list them. Every id and creation time is
stated: WABA i has id FIRST_WABA + i and creation_time FIRST_TIME + i, so id
order and creation-time order agree and bench/run can tell which WABA must
open any page, whichever way the list is sorted.

    gen_list_fixture.py OUT.json [COUNT [TEMPLATES]]

TEMPLATES (default 0) message templates go on the first WABA, for the
template-list case.
"""

import json
import sys

APP = "1000000000000001"
BUSINESS = "2000000000000001"
USER = "3000000000000001"
TOKEN = "EAAbenchAdmin"
FIRST_WABA = 4100000000000000
FIRST_TIME = 1600000000
FIRST_TEMPLATE = 7100000000000000


def document(count, templates=0):
    wabas = [{
        "id": str(FIRST_WABA + i),
        "business": BUSINESS,
        "name": "Bench WABA %06d" % i,
        "currency": "USD",
        "timezone_id": "1",
        "creation_time": FIRST_TIME + i,
        "ownership_type": "SELF",
    } for i in range(count)]
    return {
        "apps": [{"id": APP, "name": "Bench App", "secret": "bench-secret"}],
        "businesses": [{"id": BUSINESS, "name": "Bench Business",
                        "verification_status": "verified"}],
        "users": [{"id": USER, "name": "Bench Admin", "business": BUSINESS,
                   "user_type": "SYSTEM_USER", "role": "ADMIN"}],
        "tokens": [{"token": TOKEN, "app": APP, "user": USER,
                    "scopes": ["whatsapp_business_management",
                               "business_management"],
                    "issued_at": 1700000000, "expires_at": 0,
                    "state": "valid"}],
        "wabas": wabas,
        "templates": [{
            "id": str(FIRST_TEMPLATE + i),
            "waba": str(FIRST_WABA),
            "name": "bench_template_%05d" % i,
            "language": "en_US",
            "category": "UTILITY",
            "created_at": FIRST_TIME,
            "components": [{"type": "BODY",
                            "text": "Your order {{1}} is ready",
                            "example": {"body_text": [["42"]]}}],
        } for i in range(templates)],
    }


def main(argv):
    if len(argv) not in (2, 3, 4):
        sys.stderr.write("usage: gen_list_fixture.py OUT.json "
                         "[COUNT [TEMPLATES]]\n")
        return 2
    count = int(argv[2]) if len(argv) >= 3 else 100000
    templates = int(argv[3]) if len(argv) == 4 else 0
    with open(argv[1], "w") as f:
        json.dump(document(count, templates), f, separators=(",", ":"))
        f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
