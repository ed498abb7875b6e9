"""Tools around jitsynth's datasets that need a Python library, and not JAX.

`python -m jitsynth_tools.export` writes records to Parquet with pyarrow; `jitsynth export`
runs it. Nothing here imports JAX: the JAX worker is `jitsynth_worker`.
"""
