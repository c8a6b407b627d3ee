#!/usr/bin/env python3
"""Smart HTTP for Reverie's tests: `git http-backend` behind a loopback web server with
basic authentication, as a forge or a team's server would run it.

    git_http_server.py ROOT USER:PASSWORD PORTFILE [PORT]

Serves the repositories under ROOT at http://127.0.0.1:PORT/<repo>. Every request needs
basic authentication as USER:PASSWORD (else 401). The chosen port is written to PORTFILE
once the server listens; PORT (optional) reuses one, to restart a stopped server.

A file ROOT/cut-<service> (service: git-upload-pack or git-receive-pack) makes the next
such POST break off: the request is read, then the connection is closed with no answer,
as when the server stops in the middle of a transfer. The file is removed when used.
"""
import base64
import os
import subprocess
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

root, credentials, port_path = sys.argv[1:4]
port = int(sys.argv[4]) if len(sys.argv) > 4 else 0
expected = "Basic " + base64.b64encode(credentials.encode()).decode()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"

    def log_message(self, *args):
        pass

    def body(self):
        if self.headers.get("transfer-encoding", "").lower() == "chunked":
            data = b""
            while True:
                size = int(self.rfile.readline().strip().split(b";")[0], 16)
                if size == 0:
                    self.rfile.readline()
                    return data
                data += self.rfile.read(size)
                self.rfile.readline()
        return self.rfile.read(int(self.headers.get("content-length", "0")))

    def handle_git(self):
        if self.headers.get("authorization") != expected:
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="memory"')
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = self.body() if self.command == "POST" else b""
        path, _, query = self.path.partition("?")
        service = path.rsplit("/", 1)[-1]
        cut = os.path.join(root, "cut-" + service)
        if self.command == "POST" and os.path.exists(cut):
            os.remove(cut)
            self.close_connection = True
            self.connection.shutdown(2)
            return
        env = dict(os.environ, GIT_PROJECT_ROOT=root, GIT_HTTP_EXPORT_ALL="1", PATH_INFO=path,
                   QUERY_STRING=query, REQUEST_METHOD=self.command, REMOTE_USER=credentials.split(":")[0],
                   REMOTE_ADDR="127.0.0.1", CONTENT_TYPE=self.headers.get("content-type", ""),
                   CONTENT_LENGTH=str(len(body)))
        if self.headers.get("content-encoding"):
            env["HTTP_CONTENT_ENCODING"] = self.headers["content-encoding"]
        output = subprocess.run(["git", "http-backend"], input=body, env=env, stdout=subprocess.PIPE).stdout
        head, _, payload = output.partition(b"\r\n\r\n")
        status = 200
        headers = []
        for line in head.split(b"\r\n"):
            name, _, value = line.decode().partition(":")
            if name.lower() == "status":
                status = int(value.strip().split()[0])
            elif name:
                headers.append((name, value.strip()))
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = handle_git
    do_POST = handle_git


server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
with open(port_path + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
os.rename(port_path + ".tmp", port_path)
server.serve_forever()
