"""Shapes and their areas."""
import math


def circle_area(r):
    return math.pi * r * r


def rect_area(w, h):
    return w * h


def triangle_area(base, height):
    return base * height / 2


def area(shape):
    """shape is a tuple like ("circle", 2) or ("rect", 3, 4)."""
    kind, *dims = shape
    if kind == "circle":
        return circle_area(*dims)
    if kind == "rect":
        return rect_area(*dims)
    if kind == "triangle":
        return triangle_area(*dims)
    raise ValueError(f"unknown shape {kind}")
