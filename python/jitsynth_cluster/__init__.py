"""Ray launcher of `jitsynth generate --ray ADDRESS`: one Ray Core task per chunk.

Each task runs the C++ CLI on its node (`generate --chunks K:K+1`) into node-local scratch,
checks the chunk it wrote (record count, size, xxh64) and publishes it atomically into OUT, a
path every node sees or an object store (`s3://`) reached through `pyarrow.fs`. The manifest is
written last, from the chunks' own partial manifests, so it equals a local run's in every field
but the timings and how the run was made (`command`, `workers`, `pool`, `ray`).
"""
