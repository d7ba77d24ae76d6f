"""A small Language Server Protocol client for the tests: starts ``python -m pbrrules lsp`` and
speaks JSON-RPC to it over its standard input and output, as an editor does.

Messages are read on a thread into a queue; ``request`` waits for its own response and keeps
the notifications that came meanwhile, so a test can then wait for the ``publishDiagnostics``
it expects.
"""

from __future__ import annotations

import json
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import IO, Any

TIMEOUT = 60.0

Message = dict[str, Any]


class Client:
    """One server process and the messages it sent."""

    def __init__(self, cwd: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "pbrrules", "lsp"],
            cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )  # fmt: skip
        self.messages: queue.Queue[Message | None] = queue.Queue()
        self.notifications: list[Message] = []
        self._next_id = 0
        assert self.process.stdout is not None
        self._reader = threading.Thread(target=self._read, args=(self.process.stdout,))
        self._reader.daemon = True
        self._reader.start()

    # -- the wire -----------------------------------------------------------------------------

    def _send(self, message: Message) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        assert self.process.stdin is not None
        self.process.stdin.write(f"Content-Length: {len(body)}\r\n\r\n".encode("ascii") + body)
        self.process.stdin.flush()

    def _read(self, stream: IO[bytes]) -> None:
        while True:
            length = None
            while True:
                header = stream.readline()
                if not header:
                    self.messages.put(None)
                    return
                if header in (b"\r\n", b"\n"):
                    break
                name, _, value = header.decode("ascii").partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value)
            assert length is not None, "a message without Content-Length"
            self.messages.put(json.loads(stream.read(length)))

    def _next(self, deadline: float) -> Message:
        try:
            message = self.messages.get(timeout=max(deadline - time.monotonic(), 0.01))
        except queue.Empty:
            raise AssertionError(f"no message from the server; it said: {self.stderr()}") from None
        if message is None:
            raise AssertionError(f"the server closed its output; it said: {self.stderr()}")
        if "method" in message and "id" in message:  # a request from the server: accept it
            self._send({"id": message["id"], "result": None})
        return message

    def stderr(self) -> str:
        """What the server wrote on its standard error (only once it has exited)."""
        if self.process.poll() is None or self.process.stderr is None:
            return "(still running)"
        return self.process.stderr.read().decode("utf-8", "replace")

    # -- what a test says ---------------------------------------------------------------------

    def request(self, method: str, params: Any) -> Any:
        """Send a request and return its result (failing on an error response)."""
        self._next_id += 1
        ident = self._next_id
        self._send({"id": ident, "method": method, "params": params})
        deadline = time.monotonic() + TIMEOUT
        while True:
            message = self._next(deadline)
            if message.get("id") == ident and "method" not in message:
                assert "error" not in message, message["error"]
                return message.get("result")
            if "method" in message and "id" not in message:
                self.notifications.append(message)

    def notify(self, method: str, params: Any) -> None:
        """Send a notification."""
        self._send({"method": method, "params": params})

    def diagnostics(self, uri: str, version: int | None = None) -> list[Message]:
        """The next diagnostics published for ``uri`` (for ``version`` when given)."""
        deadline = time.monotonic() + TIMEOUT
        while True:
            for index, note in enumerate(self.notifications):
                params = note["params"]
                if (
                    note["method"] == "textDocument/publishDiagnostics"
                    and params["uri"] == uri
                    and (version is None or params.get("version") == version)
                ):
                    del self.notifications[index]
                    found: list[Message] = params["diagnostics"]
                    return found
            message = self._next(deadline)
            if "method" in message and "id" not in message:
                self.notifications.append(message)

    def close(self) -> int:
        """shutdown, then exit; the server's exit status."""
        self.request("shutdown", None)
        self.notify("exit", None)
        try:
            return self.process.wait(timeout=TIMEOUT)
        finally:
            if self.process.poll() is None:
                self.process.kill()
            for stream in (self.process.stdin, self.process.stdout, self.process.stderr):
                if stream is not None:
                    stream.close()
