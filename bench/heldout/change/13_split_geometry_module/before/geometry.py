"""Shapes, their areas, and pretty printing of the results."""
import math

UNIT = "cm"


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


def format_area(value):
    return f"{value:.2f} sq {UNIT}"


def format_table(shapes):
    lines = []
    for shape in shapes:
        lines.append(f"{shape[0]:<10}{format_area(area(shape)):>16}")
    total = sum(area(s) for s in shapes)
    lines.append(f"{'total':<10}{format_area(total):>16}")
    return "\n".join(lines)
