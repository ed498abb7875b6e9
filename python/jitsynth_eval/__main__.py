"""Entry point: `python -m jitsynth_eval --request-fd R --reply-fd W [--cpu-slot N] [--hide DIR ...]`.

Speaks the worker protocol's frames (jitsynth_worker/protocol.py) with the driver; every candidate
runs in a child process (server.py, sandbox.py)."""

import argparse
import ctypes
import os
import sys

_PR_SET_PDEATHSIG = 1
_SIGKILL = 9


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m jitsynth_eval", description=__doc__)
    parser.add_argument("--request-fd", type=int, required=True, help="pipe end to read requests from")
    parser.add_argument("--reply-fd", type=int, required=True, help="pipe end to write replies to")
    parser.add_argument("--hide", action="append", default=[],
                        help="directory a candidate must not see (the run being scored); repeatable")
    parser.add_argument("--cpu-slot", type=int, default=0,
                        help="the pool's slot: the server and its children run on the slot-th allowed CPU, "
                             "as the compiling workers do (the same declared target)")
    parser.add_argument("--candidates", type=int, default=1,
                        help="the most candidates one request may hold (one per prediction set scored at "
                             "once): the server keeps that many children, and one for the record, forked "
                             "ahead")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    options = _parse_args(argv)
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, _SIGKILL, 0, 0, 0)
    from jitsynth_worker import protocol, target

    target.pin_to_one_cpu(options.cpu_slot)  # before JAX is imported: its threads inherit the mask
    # Candidates are compiled and run on the CPU only: an installed CUDA plugin (scripts/bootstrap
    # --with-cuda) is not even loaded, which would cost every sandboxed child its start-up.
    os.environ["JAX_PLATFORMS"] = "cpu"

    from .server import serve

    try:
        serve(options.request_fd, options.reply_fd, hide=options.hide, candidates=options.candidates)
    except (protocol.ProtocolError, BrokenPipeError) as error:
        print(f"jitsynth_eval: {type(error).__name__}: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
