#!/usr/bin/env python3
"""A stand-in for a paid model API on 127.0.0.1, for Reverie's tests.

It answers POSTs with the responses of a script, in order, exactly as written there
(status, headers, a JSON body or raw bytes), and records every request it got (path,
headers, body) as one JSON line each, so a test checks the wire format both ways.

    fake_model_server.py SCRIPT.json LOG.jsonl PORTFILE

SCRIPT.json is a list of {"status": 200, "headers": {...}, "body": {...}} or
{"status": 200, "raw": "text that is not JSON"}; "trickle": S sends the body a byte every
S seconds, as a stalled server does. The chosen port is written to PORTFILE
once the server listens. It serves until killed.
"""
import json
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

script_path, log_path, port_path = sys.argv[1:4]
with open(script_path) as f:
    script = json.load(f)
served = 0


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        global served
        length = int(self.headers.get("content-length", "0"))
        raw = self.rfile.read(length).decode("utf-8", "replace")
        try:
            body = json.loads(raw)
        except ValueError:
            body = raw
        with open(log_path, "a") as log:
            log.write(json.dumps({"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()},
                                  "body": body}) + "\n")
        if served < len(script):
            answer = script[served]
        else:
            answer = {"status": 500, "body": {"error": {"message": "the test script has no more answers"}}}
        served += 1
        payload = answer["raw"].encode() if "raw" in answer else json.dumps(answer.get("body", {})).encode()
        self.send_response(answer.get("status", 200))
        self.send_header("content-type", "application/json")
        for name, value in answer.get("headers", {}).items():
            self.send_header(name, str(value))
        self.send_header("content-length", str(len(payload)))
        self.end_headers()
        if "trickle" not in answer:
            self.wfile.write(payload)
            return
        import time
        try:
            for byte in payload:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(answer["trickle"])
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, *args):
        pass


server = HTTPServer(("127.0.0.1", 0), Handler)
with open(port_path + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
import os
os.rename(port_path + ".tmp", port_path)
server.serve_forever()
