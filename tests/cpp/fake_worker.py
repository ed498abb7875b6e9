"""Stand-in for jitsynth_worker in the driver tests: the same pipes and frames, no JAX.

A compile request's "python" field selects a behaviour:
  "CRASH"             exit at once with status 3
  "HANG"              sleep forever
  "CRASH_ONCE:<path>" create <path> and exit with status 3 if it does not exist, else answer
  "SLEEP:<seconds>"   sleep, then answer
  "ENV:<name>"        answer with the variable's value in "env"
  "GARBAGE"           answer with a frame that is not JSON
anything else         answer {"ok": true, "id": ..., "echo": python, "pid": ...}
Each request is also printed to stdout and stderr, which the driver sends to the worker log.
"""

import argparse
import json
import os
import platform
import struct
import sys
import time


def read_exact(fd, size):
    data = b""
    while len(data) < size:
        chunk = os.read(fd, size - len(data))
        if not chunk:
            return None
        data += chunk
    return data


def read_frame(fd):
    header = read_exact(fd, 4)
    if header is None:
        return None
    (size,) = struct.unpack("<I", header)
    payload = read_exact(fd, size)
    if payload is None:
        return None
    return json.loads(payload)


def write_raw(fd, payload):
    data = struct.pack("<I", len(payload)) + payload
    while data:
        data = data[os.write(fd, data):]


def write_frame(fd, message):
    write_raw(fd, json.dumps(message).encode())


def compile_reply(request):
    python = request.get("python", "")
    if python == "CRASH":
        os._exit(3)
    if python == "HANG":
        while True:
            time.sleep(3600)
    if python.startswith("CRASH_ONCE:"):
        path = python[len("CRASH_ONCE:"):]
        if not os.path.exists(path):
            open(path, "w").close()
            os._exit(3)
    if python.startswith("SLEEP:"):
        time.sleep(float(python[len("SLEEP:"):]))
    reply = {"ok": True, "id": request.get("id"), "echo": python, "pid": os.getpid()}
    if python.startswith("ENV:"):
        reply["env"] = os.environ.get(python[len("ENV:"):])
    return reply


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--request-fd", type=int, required=True)
    parser.add_argument("--cpu-slot", type=int, default=0)  # the pool passes each slot its CPU; unused here
    parser.add_argument("--reply-fd", type=int, required=True)
    args = parser.parse_args()
    while True:
        request = read_frame(args.request_fd)
        if request is None or request.get("op") == "shutdown":
            return 0
        print("request:", request.get("op"), request.get("python", ""), flush=True)
        print("stderr line", file=sys.stderr, flush=True)
        op = request.get("op")
        if op == "ping":
            write_frame(args.reply_fd, {"ok": True, "versions": {
                "jax": "fake", "jaxlib": "fake", "python": platform.python_version(),
                "backend": "cpu"}})
        elif op == "compile":
            if request.get("python") == "GARBAGE":
                write_raw(args.reply_fd, b"this is not json")
                continue
            write_frame(args.reply_fd, compile_reply(request))
        else:
            write_frame(args.reply_fd, {"ok": False, "id": request.get("id"), "stage": "protocol",
                                        "error_type": "ValueError",
                                        "message": f"unknown op {op!r}"})


if __name__ == "__main__":
    sys.exit(main())
