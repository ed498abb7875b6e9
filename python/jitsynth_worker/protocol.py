"""Frames of the worker protocol: a 4-byte little-endian length, then that many bytes of UTF-8 JSON.

Works on raw file descriptors with os.read/os.write, which may transfer fewer bytes
than asked on pipes; every read and write loops until the whole frame has passed.
"""

import json
import os
import struct

MAX_FRAME = 512 * 1024 * 1024
MAX_MESSAGE = 2000

_HEADER = struct.Struct("<I")


class ProtocolError(Exception):
    """The byte stream broke the framing rules (truncated, oversized or undecodable frame)."""


def read_frame(fd: int) -> bytes | None:
    """Read one frame's payload; None on EOF at a frame boundary (the driver closed the pipe)."""
    header = _read_exact(fd, _HEADER.size, eof_ok=True)
    if header is None:
        return None
    (length,) = _HEADER.unpack(header)
    if length > MAX_FRAME:
        raise ProtocolError(f"frame of {length} bytes exceeds the {MAX_FRAME}-byte limit")
    return _read_exact(fd, length, eof_ok=False)


def write_frame(fd: int, payload: bytes) -> None:
    """Write one frame (header and payload), looping over partial writes."""
    view = memoryview(_HEADER.pack(len(payload)) + payload)
    while view:
        view = view[os.write(fd, view) :]


def decode(payload: bytes) -> dict:
    """Parse a request payload; a payload that is not a JSON object is a ProtocolError."""
    try:
        message = json.loads(payload.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ProtocolError(f"frame is not UTF-8 JSON: {error}") from error
    if not isinstance(message, dict):
        raise ProtocolError(f"frame holds a JSON {type(message).__name__}, not an object")
    return message


def encode(message: dict) -> bytes:
    """Serialize a reply. NaN and infinity are refused: they are not JSON and would break the driver's parser."""
    payload = json.dumps(message, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode("utf-8")
    if len(payload) > MAX_FRAME:
        raise ProtocolError(f"reply of {len(payload)} bytes exceeds the {MAX_FRAME}-byte limit")
    return payload


def error_reply(request_id, stage: str, error: BaseException) -> dict:
    """The failure reply for ERROR raised at STAGE: its type and a bounded message, never a traceback."""
    return {
        "ok": False,
        "id": request_id,
        "stage": stage,
        "error_type": type(error).__name__,
        "message": str(error)[:MAX_MESSAGE],
    }


def _read_exact(fd: int, size: int, *, eof_ok: bool) -> bytes | None:
    """Read exactly SIZE bytes. EOF before the first byte returns None if EOF_OK; EOF later is an error."""
    chunks = []
    remaining = size
    while remaining:
        chunk = os.read(fd, remaining)
        if not chunk:
            if eof_ok and remaining == size:
                return None
            raise ProtocolError(f"EOF after {size - remaining} of {size} bytes")
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)
