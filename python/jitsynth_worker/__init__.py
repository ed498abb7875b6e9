"""The jitsynth worker: the only part of jitsynth that imports JAX.

`python -m jitsynth_worker --request-fd R --reply-fd W` serves the protocol in
docs/worker-protocol.md; `jitsynth_worker.capture.capture(request)` does the same
work in-process. This module imports nothing so that `python -m` can arm the
parent-death signal before the slow JAX import.
"""
