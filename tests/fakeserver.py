"""A loopback OpenAI-compatible server for batch tests and benchmarks (no model).

It answers ``POST /v1/chat/completions`` with a valid structured answer for whatever schema the
request carries (``response_format`` with a ``schema`` as llama.cpp takes it, ``json_schema``
as OpenAI takes it, or a tool's ``parameters``): arrays of objects keyed by an ``id`` enum get
one item per id, enums take their first value, so the answer is deterministic and passes the
extraction's id checks. Latency and faults are configurable:

- ``latency``: seconds before each answer;
- ``echo_auth_401``: every request is refused with HTTP 401, the body quoting the request's
  ``Authorization`` header (a careless server: the key must not reach any output);
- ``faults``: share of requests that fail, spread evenly over ``fault_kinds``: ``429`` (with
  ``Retry-After``), ``500``, ``timeout`` (sleeps ``hang`` seconds, longer than the client's
  timeout), ``drop`` (closes the connection without a response), ``malformed`` (the answer is
  not JSON), ``truncated`` (the body is cut short of its Content-Length).

Run it standalone: ``python -m tests.fakeserver --port 8799 --latency 0.25 --faults 0.2``.
"""

from __future__ import annotations

import argparse
import json
import random
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

FAULT_KINDS = ("429", "500", "timeout", "drop", "malformed", "truncated")


def instance(schema: dict[str, Any], root: dict[str, Any] | None = None) -> Any:
    """A deterministic value valid for ``schema`` (the subset pydantic and our code emit)."""
    root = root or schema
    if "$ref" in schema:
        name = schema["$ref"].split("/")[-1]
        return instance(root["$defs"][name], root)
    if "anyOf" in schema:
        return instance(schema["anyOf"][0], root)
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        props = schema.get("properties", {})
        return {k: instance(v, root) for k, v in props.items()}
    if kind == "array":
        items = schema.get("items", {})
        resolved = root["$defs"][items["$ref"].split("/")[-1]] if "$ref" in items else items
        high = schema.get("maxItems", 1 << 30)
        ids = resolved.get("properties", {}).get("id", {}).get("enum")
        if ids is not None:  # one object per id, each with its own id
            out = []
            for i in ids[:high]:
                obj = instance(resolved, root)
                obj["id"] = i
                out.append(obj)
            return out[: max(schema.get("minItems", 0), len(out))]
        if "enum" in resolved:
            return resolved["enum"][: min(high, 2)]
        return [instance(resolved, root) for _ in range(schema.get("minItems", 0))]
    return {"string": "x", "integer": 0, "number": 0, "boolean": True, "null": None}.get(kind, "x")


def _schema_of(body: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """(schema, answer as a tool call?)"""
    fmt = body.get("response_format") or {}
    if fmt.get("schema"):
        return fmt["schema"], False
    if fmt.get("json_schema"):
        return fmt["json_schema"]["schema"], False
    tools = body.get("tools") or []
    if tools:
        return tools[0]["function"]["parameters"], True
    return {"type": "object"}, False


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 512  # the listen backlog: 64 clients connect at once


class FakeServer:
    """Threaded HTTP server on 127.0.0.1; use as a context manager or start()/stop()."""

    def __init__(self, *, latency: float = 0.0, faults: float = 0.0,
                 fault_kinds: tuple[str, ...] = FAULT_KINDS, hang: float = 5.0,
                 retry_after: str = "0.05", seed: int = 0, port: int = 0,
                 echo_auth_401: bool = False) -> None:
        self.latency, self.faults, self.fault_kinds = latency, faults, fault_kinds
        self.echo_auth_401 = echo_auth_401
        self.hang, self.retry_after = hang, retry_after
        self._rng = random.Random(seed)
        self._lock = threading.Lock()
        self.requests = 0
        self.answered = 0
        self.injected: dict[str, int] = {}
        self.in_flight = 0
        self.max_in_flight = 0
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length", 0))
                body = json.loads(self.rfile.read(length) or b"{}")
                if server.echo_auth_401:  # a careless server quoting the key back
                    payload = json.dumps({"error": {"message": "invalid credentials: "
                                          + str(self.headers.get("authorization"))}}).encode()
                    self.send_response(401)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                    return
                fault = server._draw()
                with server._lock:
                    server.in_flight += 1
                    server.max_in_flight = max(server.max_in_flight, server.in_flight)
                try:
                    server._answer(self, body, fault)
                finally:
                    with server._lock:
                        server.in_flight -= 1

        self._httpd = _Server(("127.0.0.1", port), Handler)
        self.port = self._httpd.server_address[1]
        self.base_url = f"http://127.0.0.1:{self.port}/v1"
        self._thread: threading.Thread | None = None

    def _draw(self) -> str | None:
        with self._lock:
            self.requests += 1
            if self.faults and self._rng.random() < self.faults:
                kind = self._rng.choice(self.fault_kinds)
                self.injected[kind] = self.injected.get(kind, 0) + 1
                return kind
        return None

    def _answer(self, h: BaseHTTPRequestHandler, body: dict[str, Any], fault: str | None) -> None:
        if self.latency:
            time.sleep(self.latency)
        if fault == "timeout":
            time.sleep(self.hang)
            h.close_connection = True
            return
        if fault == "drop":
            h.close_connection = True
            h.connection.shutdown(socket.SHUT_RDWR)
            return
        if fault in ("429", "500"):
            payload = json.dumps({"error": {"message": f"injected {fault}"}}).encode()
            h.send_response(int(fault))
            if fault == "429":
                h.send_header("Retry-After", self.retry_after)
            h.send_header("Content-Type", "application/json")
            h.send_header("Content-Length", str(len(payload)))
            h.end_headers()
            h.wfile.write(payload)
            return
        schema, as_tool = _schema_of(body)
        content = json.dumps(instance(schema))
        if fault == "malformed":
            content = content[: len(content) // 2] + " <not json"
        message: dict[str, Any] = {"role": "assistant", "content": content}
        if as_tool:
            message = {"role": "assistant", "content": None, "tool_calls": [{
                "id": "call_0", "type": "function",
                "function": {"name": body["tools"][0]["function"]["name"],
                             "arguments": content}}]}
        prompt = sum(len(str(m.get("content", ""))) for m in body.get("messages", [])) // 4
        payload = json.dumps({
            "id": "fake-1", "object": "chat.completion", "created": 0,
            "model": body.get("model", "fake"),
            "choices": [{"index": 0, "message": message,
                         "finish_reason": "tool_calls" if as_tool else "stop"}],
            "usage": {"prompt_tokens": prompt, "completion_tokens": len(content) // 4,
                      "total_tokens": prompt + len(content) // 4},
        }).encode()
        h.send_response(200)
        h.send_header("Content-Type", "application/json")
        h.send_header("Content-Length", str(len(payload)))
        h.end_headers()
        if fault == "truncated":
            h.wfile.write(payload[: len(payload) // 2])
            h.wfile.flush()
            h.close_connection = True
            h.connection.shutdown(socket.SHUT_RDWR)
            return
        h.wfile.write(payload)
        with self._lock:
            self.answered += 1

    def start(self) -> FakeServer:
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> FakeServer:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--port", type=int, default=8799)
    ap.add_argument("--latency", type=float, default=0.0)
    ap.add_argument("--faults", type=float, default=0.0)
    args = ap.parse_args()
    server = FakeServer(latency=args.latency, faults=args.faults, port=args.port)
    print(f"fake OpenAI-compatible server on {server.base_url}", flush=True)
    try:
        server._httpd.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
