"""SAXPY, the BLAS level-1 kernel: a scalar times a vector plus a vector."""


def saxpy(a, x, y):
    return a * x + y
