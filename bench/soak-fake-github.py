#!/usr/bin/env python3
"""A fake GitHub for bench/soak.sh: GET /events as GitHub serves it, at a steady rate.

Events are made up as time passes, RATE a second (a few, as one poller sees of GitHub's public
traffic), in GitHub's proportions of types and with its slim payloads (since Oct 2025). /events
serves the newest 300 of them, newest first, in pages of per_page (at most 100) with Link
headers, an ETag per page (If-None-Match answers 304), X-Poll-Interval and X-RateLimit-*
headers. Anything else is GitHub's 404. GET /stats says how many events were made and served.

    soak-fake-github.py PORT [RATE] [POLL_INTERVAL]
"""
import hashlib
import json
import random
import sys
import threading
import time
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

PORT = int(sys.argv[1])
RATE = float(sys.argv[2]) if len(sys.argv) > 2 else 3.0
POLL_INTERVAL = int(sys.argv[3]) if len(sys.argv) > 3 else 60
WINDOW = 300  # GitHub's /events holds the newest 300 events

TYPES = [("PushEvent", 500), ("CreateEvent", 130), ("PullRequestEvent", 70), ("WatchEvent", 80),
         ("IssueCommentEvent", 60), ("DeleteEvent", 35), ("PullRequestReviewEvent", 30), ("IssuesEvent", 30),
         ("PullRequestReviewCommentEvent", 25), ("ForkEvent", 20), ("ReleaseEvent", 7), ("GollumEvent", 6),
         ("MemberEvent", 3), ("PublicEvent", 4)]
TYPE_NAMES = [t for t, _ in TYPES]
TYPE_WEIGHTS = [w for _, w in TYPES]

rnd = random.Random(26)
lock = threading.Lock()
events = []  # newest last, at most WINDOW
made = 0
served = 0
started = time.time()
next_id = 48_000_000_000


def zipf(n):
    """An index in [0, n) drawn so that a few are frequent, as repositories and actors are."""
    return min(n - 1, int(n ** rnd.random()) - 1)


def payload(kind, repo, number):
    if kind == "PushEvent":
        return {"repository_id": repo[0], "push_id": rnd.randrange(10 ** 10), "ref": "refs/heads/main",
                "head": "%040x" % rnd.getrandbits(160), "before": "%040x" % rnd.getrandbits(160)}
    if kind == "PullRequestEvent":
        action = rnd.choices(["opened", "closed", "merged", "reopened", "synchronize"], [40, 15, 30, 2, 13])[0]
        return {"action": action, "number": number,
                "pull_request": {"url": "https://api.github.com/repos/%s/pulls/%d" % (repo[1], number),
                                 "id": rnd.randrange(10 ** 9), "number": number,
                                 "head": {"ref": "feature", "sha": "%040x" % rnd.getrandbits(160)},
                                 "base": {"ref": "main", "sha": "%040x" % rnd.getrandbits(160)}}}
    if kind == "IssuesEvent":
        return {"action": rnd.choice(["opened", "closed", "reopened"]), "issue": {"number": number}}
    if kind == "WatchEvent":
        return {"action": "started"}
    if kind in ("IssueCommentEvent", "PullRequestReviewCommentEvent"):
        return {"action": "created", "issue": {"number": number}, "comment": {"id": rnd.randrange(10 ** 10)}}
    if kind == "PullRequestReviewEvent":
        return {"action": "created", "pull_request": {"number": number},
                "review": {"state": rnd.choice(["approved", "commented", "changes_requested"])}}
    if kind in ("CreateEvent", "DeleteEvent"):
        return {"ref": "feature-%d" % number, "ref_type": "branch", "full_ref": "refs/heads/feature-%d" % number}
    if kind == "ReleaseEvent":
        return {"action": "published", "release": {"tag_name": "v1.%d" % number}}
    if kind == "ForkEvent":
        return {"forkee": {"id": rnd.randrange(10 ** 9), "full_name": "fork-%d/%s" % (number, repo[1].split("/")[1])}}
    if kind == "MemberEvent":
        return {"action": "added", "member": {"login": "member-%d" % number}}
    return {}


def make_until(now):
    """Makes the events due by now (RATE a second since the start)."""
    global made, next_id
    due = int((now - started) * RATE)
    while made < due:
        made += 1
        next_id += rnd.randrange(20, 60)  # unique with the type's offset below 20
        kind = rnd.choices(TYPE_NAMES, TYPE_WEIGHTS)[0]
        r = zipf(5000)
        a = zipf(20000)
        repo = (100000 + r, "soak-org-%d/repo-%d" % (r % 97, r))
        at = started + made / RATE
        events.append({
            "id": str(next_id + TYPE_NAMES.index(kind)),
            "type": kind,
            "actor": {"id": 500000 + a, "login": "soak-user-%d" % a, "display_login": "soak-user-%d" % a,
                      "gravatar_id": "", "url": "https://api.github.com/users/soak-user-%d" % a,
                      "avatar_url": "https://avatars.githubusercontent.com/u/%d?" % (500000 + a)},
            "repo": {"id": repo[0], "name": repo[1], "url": "https://api.github.com/repos/" + repo[1]},
            "payload": payload(kind, repo, rnd.randrange(1, 5000)),
            "public": True,
            "created_at": datetime.fromtimestamp(int(at), timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        })
    del events[:-WINDOW]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send(self, status, body=b"", headers=None):
        self.send_response(status)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        global served
        url = urlparse(self.path)
        if url.path == "/stats":
            with lock:
                body = json.dumps({"made": made, "served": served, "rate": RATE}).encode()
            return self.send(200, body, {"Content-Type": "application/json"})
        if url.path != "/events":
            return self.send(404, b'{"message":"Not Found","documentation_url":"https://docs.github.com/rest"}',
                             {"Content-Type": "application/json; charset=utf-8"})
        q = parse_qs(url.query)
        per_page = max(1, min(100, int(q.get("per_page", ["30"])[0])))
        page = max(1, int(q.get("page", ["1"])[0]))
        now = time.time()
        with lock:
            make_until(now)
            newest = list(reversed(events))
            chunk = newest[(page - 1) * per_page:page * per_page]
            pages = (len(newest) + per_page - 1) // per_page
        reset = int(now // 3600 * 3600 + 3600)
        headers = {"X-Poll-Interval": str(POLL_INTERVAL), "X-RateLimit-Limit": "5000",
                   "X-RateLimit-Remaining": "4900", "X-RateLimit-Used": "100", "X-RateLimit-Reset": str(reset),
                   "X-RateLimit-Resource": "core"}
        body = json.dumps(chunk).encode()
        etag = 'W/"%s"' % hashlib.sha1(body).hexdigest()
        headers["ETag"] = etag
        if page < pages:
            base = "http://127.0.0.1:%d/events?per_page=%d&page=" % (PORT, per_page)
            headers["Link"] = '<%s%d>; rel="next", <%s%d>; rel="last"' % (base, page + 1, base, pages)
        if self.headers.get("If-None-Match") == etag:
            return self.send(304, b"", headers)
        with lock:
            served += len(chunk)
        headers["Content-Type"] = "application/json; charset=utf-8"
        self.send(200, body, headers)


if __name__ == "__main__":
    ThreadingHTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
