"""Elementwise addition: the smallest program worth compiling."""


def add(x, y):
    return x + y
