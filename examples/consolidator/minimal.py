#!/usr/bin/env python3
"""A consolidator for Reverie's `command` back end, in a page of Python.

Reverie runs it for one dream (`[dream] consolidator = "command"`, `[model] command =
["python3", "examples/consolidator/minimal.py"]`) and talks to it in JSON lines
(docs/consolidator-protocol.md): one line in, one turn of tool calls out. This one looks
for tool errors that recur across sessions and records each as a mistake, quoting the
sessions exactly, as every change must. A real one would ask a model what to do.
"""
import json
import sys


def receive():
    line = sys.stdin.readline()
    if not line:
        sys.exit(0)  # Reverie closed the dream
    return json.loads(line)


def turn(calls, text=""):
    """Sends one turn; returns the results of its calls, in order, as {id: (text, is_error)}."""
    print(json.dumps({"type": "turn", "text": text, "calls": calls}), flush=True)
    if not calls:
        return {}
    answer = receive()
    return {r["id"]: (r["text"], r["is_error"]) for r in answer["results"]}


start = receive()
assert start["type"] == "start" and start["protocol"] == 1, start

sessions = [line.split(" | ")[0] for line in
            turn([{"id": "list", "name": "list_sessions", "input": {}}])["list"][0].splitlines() if " | " in line]

# Every failing tool result of every session: its error text, and where it was seen.
errors = {}
for session in sessions:
    page, _ = turn([{"id": "read", "name": "read_session", "input": {"session_id": session, "limit": 60}}])["read"]
    for line in page.splitlines():
        if "] tool_result (error" in line:
            message = line.split("): ", 1)[1].strip()[:120]
            errors.setdefault(message, []).append(session)

recurring = {message: seen for message, seen in errors.items() if len(set(seen)) >= 2}
if recurring:
    lines = "".join(f"- A tool call fails with `{m}` (seen in {len(set(s))} sessions)\n" for m, s in sorted(recurring.items()))
    turn([{"id": "write", "name": "memory", "input": {
        "command": "create", "path": "/memories/mistakes.md", "file_text": "# Recurring mistakes\n\n" + lines}}])
    evidence = [{"session_id": s, "quote": m} for m, seen in sorted(recurring.items()) for s in sorted(set(seen))[:2]]
    result, is_error = turn([{"id": "record", "name": "record_change", "input": {
        "kind": "mistake", "summary": f"Record {len(recurring)} recurring tool error(s)",
        "rationale": "The same error came back in several sessions.", "evidence": evidence}}])["record"]
    print(result, file=sys.stderr)

turn([], text="Done.")
