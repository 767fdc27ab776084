"""An integration test against waba-emulator with Python's standard library
only (unittest, urllib): copy it into your own suite and point WABA_URL at a
running emulator, e.g.

    WABA_URL=http://127.0.0.1:8080 python3 -m unittest test_waba

It uses the demo fixtures: business 2000000000000001, its admin user
3000000000000001, app 1000000000000001, WABA 4000000000000001.
"""
import json
import os
import unittest
import urllib.error
import urllib.parse
import urllib.request

BASE = os.environ.get("WABA_URL", "").rstrip("/")
GRAPH = BASE + "/v24.0"
BUSINESS = "2000000000000001"
ADMIN_USER = "3000000000000001"
APP = "1000000000000001"
WABA = "4000000000000001"
OTHER_USER = "3000000000000004"  # a user of the business without tasks


def call(req):
    """(HTTP status, parsed JSON body); an error status is an answer too."""
    try:
        with urllib.request.urlopen(req, timeout=10) as res:
            return res.status, json.load(res)
    except urllib.error.HTTPError as e:
        with e:
            return e.code, json.load(e)


def control(method, path, body=None):
    """A control-plane call: JSON in, JSON out."""
    data = None if body is None else json.dumps(body).encode()
    return call(urllib.request.Request(
        "%s/_emulator/%s" % (BASE, path), data=data, method=method,
        headers={"Content-Type": "application/json"}))


def graph(token, method, path_or_url, params=None):
    """A Graph call with the token in the Authorization header; POST
    parameters go as a form, as the SDKs send them."""
    url = path_or_url if path_or_url.startswith("http") \
        else "%s/%s" % (GRAPH, path_or_url)
    data = None
    if params:
        encoded = urllib.parse.urlencode(params)
        if method in ("GET", "DELETE"):
            url += ("&" if "?" in url else "?") + encoded
        else:
            data = encoded.encode()
    return call(urllib.request.Request(
        url, data=data, method=method,
        headers={"Authorization": "Bearer " + token}))


def mint():
    status, body = control("POST", "tokens", {"user": ADMIN_USER,
                                               "app": APP})
    assert status == 200, body
    return body["access_token"]


class WabaTest(unittest.TestCase):
    def setUp(self):
        self.assertTrue(BASE, "set WABA_URL to the emulator's address")
        status, body = control("POST", "reset")
        self.assertEqual(status, 200, body)
        self.token = mint()

    # leave the emulator as the next suite expects it: the boot fixtures
    def tearDown(self):
        if BASE:
            control("POST", "reset")

    def test_minted_token_is_the_admins(self):
        status, me = graph(self.token, "GET", "me")
        self.assertEqual(status, 200, me)
        self.assertEqual(me["id"], ADMIN_USER)

    def test_paging_follows_paging_next(self):
        seen, pages = [], 0
        url = "%s/%s/owned_whatsapp_business_accounts?limit=1" % (
            GRAPH, BUSINESS)
        while url:
            status, page = graph(self.token, "GET", url)
            self.assertEqual(status, 200, page)
            self.assertLessEqual(len(page["data"]), 1)
            seen += [w["id"] for w in page["data"]]
            url = page.get("paging", {}).get("next")
            pages += 1
            self.assertLess(pages, 100, "paging.next never ends")
        status, whole = graph(self.token, "GET",
                              BUSINESS + "/owned_whatsapp_business_accounts",
                              {"limit": 100})
        self.assertEqual(status, 200, whole)
        self.assertEqual(seen, [w["id"] for w in whole["data"]])
        self.assertEqual(len(set(seen)), len(seen), "a WABA came twice")
        self.assertIn(WABA, seen)
        self.assertGreater(pages, 1)

    def test_added_phone_number_is_listed(self):
        number = {"cc": "1", "phone_number": "5550107777",
                  "verified_name": "Jaspers Market"}
        status, added = graph(self.token, "POST", WABA + "/phone_numbers",
                              number)
        self.assertEqual(status, 200, added)
        self.assertTrue(added["id"].isdigit())

        status, node = graph(self.token, "GET", added["id"],
                             {"fields": "id,display_phone_number,"
                                        "verified_name"})
        self.assertEqual(status, 200, node)
        self.assertEqual(node["verified_name"], "Jaspers Market")
        self.assertEqual("".join(c for c in node["display_phone_number"]
                                 if c.isdigit()), "15550107777")

        _, listed = graph(self.token, "GET", WABA + "/phone_numbers",
                          {"limit": 100})
        self.assertIn(added["id"], [p["id"] for p in listed["data"]])

        # the same number again is refused, Graph style
        status, again = graph(self.token, "POST", WABA + "/phone_numbers",
                              number)
        self.assertEqual(status, 400, again)
        self.assertIsInstance(again["error"]["code"], int)
        self.assertIsInstance(again["error"]["fbtrace_id"], str)

    def test_assigned_user_is_listed_with_its_tasks(self):
        status, body = graph(self.token, "POST", WABA + "/assigned_users",
                             {"user": OTHER_USER,
                              "tasks": json.dumps(["MANAGE"])})
        self.assertEqual(status, 200, body)
        self.assertIs(body["success"], True)

        status, listed = graph(self.token, "GET", WABA + "/assigned_users",
                               {"business": BUSINESS, "limit": 100})
        self.assertEqual(status, 200, listed)
        rows = [u for u in listed["data"] if u["id"] == OTHER_USER]
        self.assertEqual(len(rows), 1, listed)
        self.assertEqual(rows[0]["tasks"], ["MANAGE"])

    def test_reset_brings_back_the_boot_fixtures(self):
        status, added = graph(self.token, "POST", WABA + "/phone_numbers",
                              {"cc": "1", "phone_number": "5550108888",
                               "verified_name": "Jaspers Market"})
        self.assertEqual(status, 200, added)
        graph(self.token, "POST", WABA + "/assigned_users",
              {"user": OTHER_USER, "tasks": json.dumps(["MANAGE"])})

        status, body = control("POST", "reset")
        self.assertEqual(status, 200, body)

        # the minted token went with the rest of the state
        _, gone = graph(self.token, "GET", WABA)
        self.assertEqual(gone.get("error", {}).get("code"), 190, gone)

        self.token = mint()
        _, number = graph(self.token, "GET", added["id"])
        self.assertEqual(number.get("error", {}).get("code"), 100, number)
        self.assertEqual(number["error"].get("error_subcode"), 33)
        _, listed = graph(self.token, "GET", WABA + "/assigned_users",
                          {"business": BUSINESS, "limit": 100})
        self.assertNotIn(OTHER_USER, [u["id"] for u in listed["data"]])


if __name__ == "__main__":
    unittest.main()
