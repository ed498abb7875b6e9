"""The serve loop: one request at a time, one reply per ping, inspect or compile, until shutdown or EOF."""

import os
import time

from . import capture, protocol

# Read once: the hooks exist so the driver's tests can make a worker die or hang on demand.
_TEST_HOOKS = os.environ.get("JITSYNTH_TEST_HOOKS") == "1"


class UnknownOp(Exception):
    """A request whose "op" the worker does not serve."""


def serve(request_fd: int, reply_fd: int) -> None:
    """Answer requests from REQUEST_FD on REPLY_FD until {"op": "shutdown"} (no reply) or EOF."""
    while (payload := protocol.read_frame(request_fd)) is not None:
        try:
            request = protocol.decode(payload)
        except protocol.ProtocolError as error:
            protocol.write_frame(reply_fd, protocol.encode(protocol.error_reply(None, "protocol", error)))
            continue
        if request.get("op") == "shutdown":
            return
        protocol.write_frame(reply_fd, _reply(request))


def handle(request: dict) -> dict:
    """The reply to one ping, inspect or compile request; other ops get a "protocol" failure."""
    op = request.get("op")
    if op == "ping":
        return {"ok": True, "versions": capture.versions()}
    if op == "inspect":
        return capture.parameters(request)
    if op == "compile":
        if _TEST_HOOKS and "inject" in request:
            _inject(request["inject"])
        return capture.capture(request)
    return protocol.error_reply(request.get("id"), "protocol", UnknownOp(f"unknown op {op!r}"))


def _reply(request: dict) -> bytes:
    """Encoded reply; a bug in the worker becomes an "internal" failure instead of ending the loop."""
    try:
        return protocol.encode(handle(request))
    except Exception as error:
        return protocol.encode(protocol.error_reply(request.get("id"), "internal", error))


def _inject(fault: str) -> None:
    """Die or hang the way a broken XLA compile would, so the driver's recovery can be tested."""
    if fault == "crash":
        os._exit(3)
    if fault == "abort":
        os.abort()
    if fault == "hang":
        while True:
            time.sleep(3600)
