"""Helpers for closed integer ranges written as (start, end) tuples."""


def overlaps(a, b):
    """True if the two ranges share at least one point."""
    return a[0] <= b[1] and b[0] <= a[1]


def merge(ranges):
    """Merge overlapping or touching ranges into a sorted list of tuples."""
    result = []
    for start, end in ranges:
        if result and start < result[-1][1]:
            result[-1] = (result[-1][0], end)
        else:
            result.append((start, end))
    return result
