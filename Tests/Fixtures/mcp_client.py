#!/usr/bin/env python3
"""Drives `reverie mcp` with the MCP client of the Python `mcp` package (PyPI), as an agent
would: it starts the server on stdio, initializes with a client name, lists the tools and
makes the calls a script lists, then prints what it saw as one JSON object.

    mcp_client.py SCRIPT.json

SCRIPT.json:
    {"command": "/path/to/reverie", "args": ["-C", "/repo", "mcp"], "env": {...},
     "client_name": "an agent", "calls": [{"tool": "memory", "arguments": {...}}, ...],
     "observe": {"repo": "/repo", "outside": "/a/folder"}}       # optional

With "observe", the repo's `git status --porcelain` and main's commit, and a digest of every
file and link below "outside" (but not in the repo, when it is inside), are recorded before
the first call and after each call, so the test can tell that a call changed nothing.

Prints: {"server": {"name", "version"}, "instructions", "tools": [{"name", "inputSchema",
"annotations"}], "before": {...}, "results": [{"isError", "text", "after": {...}}]}
"""

import asyncio
import hashlib
import json
import os
import subprocess
import sys

from mcp import ClientSession, StdioServerParameters, types
from mcp.client.stdio import stdio_client


def observe(spec):
    if not spec:
        return None
    repo = spec["repo"]

    def git(*args):
        return subprocess.run(["git", "-C", repo, *args], capture_output=True, text=True).stdout

    outside = hashlib.sha256()
    for folder, dirs, files in os.walk(spec["outside"]):
        dirs[:] = sorted(d for d in dirs if os.path.join(folder, d) != repo)
        for name in sorted(files) + [d for d in dirs if os.path.islink(os.path.join(folder, d))]:
            path = os.path.join(folder, name)
            outside.update(path.encode())
            if os.path.islink(path):
                outside.update(b"->" + os.readlink(path).encode())
            elif os.path.isfile(path):
                with open(path, "rb") as handle:
                    outside.update(handle.read())
    return {
        "status": git("status", "--porcelain", "--untracked-files=all"),
        "main": git("rev-parse", "main").strip(),
        "outside": outside.hexdigest(),
    }


async def run(script):
    server = StdioServerParameters(command=script["command"], args=script["args"], env=script.get("env"))
    spec = script.get("observe")
    report = {"results": []}
    # The server's stderr (its logs) goes to ours, where the test reads it.
    async with stdio_client(server, errlog=sys.stderr) as (read, write):
        info = types.Implementation(name=script["client_name"], version="1.0")
        async with ClientSession(read, write, client_info=info) as session:
            initialized = await session.initialize()
            report["server"] = {"name": initialized.serverInfo.name, "version": initialized.serverInfo.version}
            report["instructions"] = initialized.instructions
            listed = await session.list_tools()
            report["tools"] = [
                {"name": tool.name, "inputSchema": tool.inputSchema,
                 "annotations": tool.annotations.model_dump(exclude_none=True) if tool.annotations else None}
                for tool in listed.tools
            ]
            report["before"] = observe(spec)
            for call in script["calls"]:
                try:
                    result = await session.call_tool(call["tool"], call.get("arguments", {}))
                    text = "\n".join(part.text for part in result.content if part.type == "text")
                    entry = {"isError": bool(result.isError), "text": text}
                except Exception as error:  # a protocol error (an unknown tool, say) is an answer too
                    entry = {"isError": True, "protocolError": True, "text": str(error)}
                entry["after"] = observe(spec)
                report["results"].append(entry)
    return report


def main():
    with open(sys.argv[1], encoding="utf-8") as handle:
        script = json.load(handle)
    report = asyncio.run(run(script))
    json.dump(report, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
