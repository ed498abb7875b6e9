"""Entry point: `python -m jitsynth_worker --request-fd R --reply-fd W`."""

import argparse
import ctypes
import sys

from . import protocol, target

_PR_SET_PDEATHSIG = 1
_SIGKILL = 9


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m jitsynth_worker", description=__doc__)
    parser.add_argument("--request-fd", type=int, required=True, help="pipe end to read requests from")
    parser.add_argument("--reply-fd", type=int, required=True, help="pipe end to write replies to")
    parser.add_argument("--cpu-slot", type=int, default=0,
                        help="pin to the SLOT-th CPU (modulo) of those allowed (the declared target: one CPU)")
    return parser.parse_args(argv)


def _die_with_parent() -> None:
    """Ask Linux to SIGKILL this process when its parent dies, so no worker outlives the driver."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, _SIGKILL, 0, 0, 0)


def main(argv: list[str] | None = None) -> int:
    """Serve requests until shutdown or EOF; 0 on a clean end, 1 when the driver's pipes broke."""
    options = _parse_args(argv)
    _die_with_parent()
    # Before JAX is imported: XLA splits loops by the CPUs it may use (target.py).
    target.pin_to_one_cpu(options.cpu_slot)
    try:
        target.check_host()
    except target.TargetUnavailable as error:
        print(f"jitsynth_worker: {error}", file=sys.stderr)
        return 1
    # Imported only now: importing JAX takes seconds, and the death signal must already be armed.
    from .server import serve

    try:
        serve(options.request_fd, options.reply_fd)
    except (protocol.ProtocolError, BrokenPipeError) as error:
        print(f"jitsynth_worker: {type(error).__name__}: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
