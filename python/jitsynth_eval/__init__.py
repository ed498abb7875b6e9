"""The evaluation sandbox: untrusted candidates (a model's predictions) compiled and run in isolated,
resource-limited processes forked from a server that imported JAX once (docs/eval.md)."""
