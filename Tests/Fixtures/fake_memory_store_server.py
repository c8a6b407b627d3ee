#!/usr/bin/env python3
"""A stateful stand-in for Claude Managed Agents' memory stores and dreams on 127.0.0.1.

It speaks the documented wire format (docs/memory-stores.md): memstore_/mem_/memver_/drm_
ids, `data` + `next_page` pages, content_sha256 and its 409 precondition failures,
memory_version objects with their actors, dream status transitions, and error bodies
`{"type": "error", "error": {"type": ..., "message": ...}}`. It checks the key, the
version header and the beta headers: memory-store calls take `agent-memory-2026-07-22`
and answer 400 when `managed-agents-2026-04-01` comes with it; dream calls need
`dreaming-2026-04-21`. Every request is logged as one JSON line.

    fake_memory_store_server.py KEY LOG.jsonl PORTFILE

Tests set it up through /_fake/... (no headers checked there):
  POST /_fake/stores {"name", "archived"}                      -> {"id"}
  POST /_fake/stores/ID/write {"path", "content"|null, "actor"} -> a store-side write (any path)
  POST /_fake/dream_plan {"outcome", "polls", "changes": {path: content|null}}
  GET  /_fake/stores/ID                                          -> {path: content}
"""
import base64
import hashlib
import json
import sys
import threading
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse, parse_qs

key, log_path, port_path = sys.argv[1:4]
lock = threading.Lock()
counter = [0]
stores = {}      # id -> store
dreams = {}      # id -> dream
plan = [None]
EPOCH = datetime(2026, 9, 1, tzinfo=timezone.utc)
API_ACTOR = {"type": "api_actor", "api_key_id": "apikey_01fake"}


def next_id(prefix):
    counter[0] += 1
    return "%s_%08d" % (prefix, counter[0])


def now():
    counter[0] += 1
    return (EPOCH + timedelta(seconds=counter[0])).strftime("%Y-%m-%dT%H:%M:%SZ")


def sha(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def new_store(name, archived=False):
    sid = next_id("memstore")
    t = now()
    stores[sid] = {"id": sid, "type": "memory_store", "name": name, "description": "", "metadata": {},
                   "created_at": t, "updated_at": t, "archived_at": t if archived else None,
                   "memories": {}, "versions": []}
    return stores[sid]


def public_store(s):
    return {k: v for k, v in s.items() if k not in ("memories", "versions")}


def memory_view(s, m, full):
    out = {"type": "memory", "id": m["id"], "memory_store_id": s["id"], "path": m["path"],
           "content_sha256": sha(m["content"]), "content_size_bytes": len(m["content"].encode()),
           "memory_version_id": m["version"], "created_at": m["created_at"], "updated_at": m["updated_at"],
           "content": m["content"] if full else None}
    return out


def version_view(v, full):
    out = dict(v)
    if not full:
        out["content"] = None
    return out


def record(s, m, operation, actor):
    vid = next_id("memver")
    t = now()
    deleted = operation == "deleted"
    s["versions"].append({"type": "memory_version", "id": vid, "memory_id": m["id"], "memory_store_id": s["id"],
                          "operation": operation, "path": m["path"],
                          "content": None if deleted else m["content"],
                          "content_sha256": None if deleted else sha(m["content"]),
                          "content_size_bytes": None if deleted else len(m["content"].encode()),
                          "created_at": t, "created_by": actor, "redacted_at": None, "redacted_by": None})
    m["version"] = vid
    m["updated_at"] = t


def write(s, path, content, actor):
    existing = next((m for m in s["memories"].values() if m["path"] == path), None)
    if content is None:
        if existing:
            del s["memories"][existing["id"]]
            record(s, existing, "deleted", actor)
        return existing
    if existing:
        if existing["content"] != content:
            existing["content"] = content
            record(s, existing, "modified", actor)
        return existing
    t = now()
    m = {"id": next_id("mem"), "path": path, "content": content, "created_at": t, "updated_at": t}
    s["memories"][m["id"]] = m
    record(s, m, "created", actor)
    return m


def page(items, query, default_limit=20, cap=100):
    limit = min(int(query.get("limit", [default_limit])[0]), cap)
    start = 0
    if "page" in query:
        start = int(base64.urlsafe_b64decode(query["page"][0][5:].encode()).decode())
    chunk = items[start:start + limit]
    more = start + limit < len(items)
    token = "page_" + base64.urlsafe_b64encode(str(start + limit).encode()).decode() if more else None
    return {"data": chunk, "next_page": token}


class Fail(Exception):
    def __init__(self, status, kind, message):
        self.status, self.kind, self.message = status, kind, message


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def handle_any(self, method):
        length = int(self.headers.get("content-length", "0"))
        raw = self.rfile.read(length).decode("utf-8", "replace") if length else ""
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = raw
        url = urlparse(self.path)
        query = parse_qs(url.query)
        parts = [p for p in url.path.split("/") if p]
        with open(log_path, "a") as log:
            log.write(json.dumps({"method": method, "path": self.path,
                                  "headers": {k.lower(): v for k, v in self.headers.items()}, "body": body}) + "\n")
        try:
            with lock:
                status, answer = self.route(method, parts, query, body)
        except Fail as failure:
            status = failure.status
            answer = {"type": "error", "error": {"type": failure.kind, "message": failure.message},
                      "request_id": "req_fake"}
        payload = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = lambda self: self.handle_any("GET")
    do_POST = lambda self: self.handle_any("POST")
    do_DELETE = lambda self: self.handle_any("DELETE")

    def check_headers(self, family):
        if self.headers.get("x-api-key") != key:
            raise Fail(401, "authentication_error", "invalid x-api-key")
        if not self.headers.get("anthropic-version"):
            raise Fail(400, "invalid_request_error", "anthropic-version header is required")
        betas = [b.strip() for b in ",".join(self.headers.get_all("anthropic-beta") or []).split(",") if b.strip()]
        if family == "memory":
            if "agent-memory-2026-07-22" in betas and "managed-agents-2026-04-01" in betas:
                raise Fail(400, "invalid_request_error",
                           "managed-agents-2026-04-01 may not be sent with agent-memory-2026-07-22 on a memory store call")
            if "agent-memory-2026-07-22" not in betas and "managed-agents-2026-04-01" not in betas:
                raise Fail(400, "invalid_request_error", "this endpoint requires the agent-memory-2026-07-22 beta")
        elif "dreaming-2026-04-21" not in betas:
            raise Fail(400, "invalid_request_error", "this endpoint requires the dreaming-2026-04-21 beta")

    def store(self, sid):
        if sid not in stores:
            raise Fail(404, "not_found_error", "memory store %s not found" % sid)
        return stores[sid]

    def route(self, method, parts, query, body):
        if parts[:1] == ["_fake"]:
            return self.fake(method, parts[1:], body)
        if parts[:2] == ["v1", "memory_stores"]:
            self.check_headers("memory")
            return self.memory_stores(method, parts[2:], query, body)
        if parts[:2] == ["v1", "dreams"]:
            self.check_headers("dream")
            return self.dreams(method, parts[2:], body)
        raise Fail(404, "not_found_error", "no route")

    def fake(self, method, parts, body):
        if parts == ["stores"]:
            return 200, {"id": new_store(body["name"], body.get("archived", False))["id"]}
        if len(parts) == 3 and parts[2] == "write":
            s = self.store(parts[1])
            m = write(s, body["path"], body.get("content"), body.get("actor", {"type": "session_actor",
                                                                              "session_id": "sesn_01agent"}))
            return 200, {"id": m["id"] if m else None}
        if parts == ["dream_plan"]:
            plan[0] = body
            return 200, {}
        if len(parts) == 2 and parts[0] == "stores":
            s = self.store(parts[1])
            return 200, {m["path"]: m["content"] for m in s["memories"].values()}
        raise Fail(404, "not_found_error", "no fake route")

    def memory_stores(self, method, parts, query, body):
        if not parts:
            items = [public_store(s) for s in stores.values()
                     if query.get("include_archived", ["false"])[0] == "true" or not s["archived_at"]]
            return 200, page(items, query)
        s = self.store(parts[0])
        if len(parts) == 1:
            return 200, public_store(s)
        if parts[1] == "memories":
            if len(parts) == 2 and method == "GET":
                full = query.get("view", ["basic"])[0] == "full"
                prefix = query.get("path_prefix", ["/"])[0]
                items = sorted((m for m in s["memories"].values() if m["path"].startswith(prefix)), key=lambda m: m["path"])
                return 200, page([memory_view(s, m, full) for m in items], query, cap=20 if full else 100)
            if len(parts) == 2 and method == "POST":
                path, content = body.get("path"), body.get("content")
                if not isinstance(path, str) or not path.startswith("/") or "//" in path or \
                        any(p in (".", "..") for p in path.split("/")) or content is None:
                    raise Fail(400, "invalid_request_error", "path must start with / and hold no empty, . or .. segment")
                if len(content.encode()) > 102400:
                    raise Fail(400, "invalid_request_error", "content is larger than 102400 bytes")
                if any(m["path"] == path for m in s["memories"].values()):
                    raise Fail(409, "conflict_error", "a memory already exists at %s" % path)
                return 200, memory_view(s, write(s, path, content, API_ACTOR), True)
            m = s["memories"].get(parts[2])
            if m is None:
                raise Fail(404, "not_found_error", "memory %s not found" % parts[2])
            if method == "GET":
                return 200, memory_view(s, m, query.get("view", ["basic"])[0] == "full")
            if method == "POST":
                content = body.get("content", m["content"])
                pre = body.get("precondition")
                if pre and pre.get("content_sha256") != sha(m["content"]):
                    if content == m["content"]:
                        return 200, memory_view(s, m, True)
                    raise Fail(409, "memory_precondition_failed_error",
                               "content_sha256 precondition failed: the memory changed")
                if content != m["content"]:
                    m["content"] = content
                    record(s, m, "modified", API_ACTOR)
                return 200, memory_view(s, m, True)
            if method == "DELETE":
                expected = query.get("expected_content_sha256", [None])[0]
                if expected and expected != sha(m["content"]):
                    raise Fail(409, "memory_precondition_failed_error",
                               "expected_content_sha256 does not match the memory")
                del s["memories"][m["id"]]
                record(s, m, "deleted", API_ACTOR)
                return 200, {"id": m["id"], "type": "memory_deleted"}
        if parts[1] == "memory_versions" and method == "GET":
            full = query.get("view", ["basic"])[0] == "full"
            since = query.get("created_at[gte]", [None])[0]
            items = [v for v in s["versions"] if since is None or v["created_at"] >= since]
            items.sort(key=lambda v: v["created_at"], reverse=True)  # newest first
            return 200, page([version_view(v, full) for v in items], query, cap=20 if full else 100)
        raise Fail(404, "not_found_error", "no such memory store route")

    def dreams(self, method, parts, body):
        if not parts and method == "POST":
            inputs = body.get("inputs", [])
            stores_in = [i for i in inputs if i.get("type") == "memory_store"]
            sessions_in = [i for i in inputs if i.get("type") == "sessions"]
            if len(stores_in) != 1 or len(sessions_in) != 1 or not (1 <= len(sessions_in[0].get("session_ids", [])) <= 100):
                raise Fail(400, "invalid_request_error", "inputs must hold one memory_store and one sessions entry")
            source = self.store(stores_in[0]["memory_store_id"])
            if source["archived_at"]:
                raise Fail(400, "invalid_request_error", "the memory store is archived")
            did = next_id("drm")
            dreams[did] = {"type": "dream", "id": did, "status": "pending", "inputs": inputs, "outputs": [],
                           "model": {"id": body.get("model")}, "instructions": body.get("instructions"),
                           "session_id": None, "error": None, "created_at": now(), "ended_at": None,
                           "archived_at": None,
                           "usage": {"input_tokens": 0, "output_tokens": 0, "cache_creation_input_tokens": 0,
                                     "cache_read_input_tokens": 0},
                           "_plan": plan[0] or {"outcome": "completed", "polls": 2, "changes": {}}, "_polls": 0,
                           "_source": source["id"]}
            return 200, self.public_dream(dreams[did])
        if not parts:
            raise Fail(404, "not_found_error", "no route")
        d = dreams.get(parts[0])
        if d is None:
            raise Fail(404, "not_found_error", "dream %s not found" % parts[0])
        if len(parts) == 2 and parts[1] == "cancel" and method == "POST":
            if d["status"] in ("pending", "running"):
                d["status"], d["ended_at"] = "canceled", now()
            return 200, self.public_dream(d)
        if len(parts) == 1 and method == "GET":
            self.advance(d)
            return 200, self.public_dream(d)
        raise Fail(404, "not_found_error", "no such dream route")

    def advance(self, d):
        if d["status"] in ("completed", "failed", "canceled"):
            return
        d["_polls"] += 1
        p = d["_plan"]
        if d["status"] == "pending":
            d["status"] = "running"
            d["session_id"] = "sesn_01dreamer"
            out = new_store("dream output")
            for m in list(stores[d["_source"]]["memories"].values()):
                write(out, m["path"], m["content"], {"type": "session_actor", "session_id": "sesn_01dreamer"})
            d["outputs"] = [{"type": "memory_store", "memory_store_id": out["id"]}]
            return
        if d["_polls"] < p.get("polls", 2):
            return
        d["ended_at"] = now()
        d["usage"] = {"input_tokens": 12000, "output_tokens": 3400, "cache_creation_input_tokens": 500,
                      "cache_read_input_tokens": 800}
        if p["outcome"] == "completed":
            out = stores[d["outputs"][0]["memory_store_id"]]
            for path, content in p.get("changes", {}).items():
                write(out, path, content, {"type": "session_actor", "session_id": "sesn_01dreamer"})
            d["status"] = "completed"
        elif p["outcome"] == "failed":
            d["status"], d["error"] = "failed", {"type": "timeout", "message": "the dream ran out of time"}
        else:
            d["status"] = "canceled"

    @staticmethod
    def public_dream(d):
        return {k: v for k, v in d.items() if not k.startswith("_")}

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(port_path + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
import os
os.rename(port_path + ".tmp", port_path)
server.serve_forever()
