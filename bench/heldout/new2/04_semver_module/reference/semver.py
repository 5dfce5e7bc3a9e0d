"""Parse, compare and bump MAJOR.MINOR.PATCH version strings."""
import re

_PATTERN = re.compile(r"v?(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)")


def parse(text):
    if not isinstance(text, str):
        raise ValueError("version must be a string")
    m = _PATTERN.fullmatch(text)
    if not m:
        raise ValueError(f"invalid version: {text!r}")
    return tuple(int(g) for g in m.groups())


def compare(a, b):
    pa, pb = parse(a), parse(b)
    return (pa > pb) - (pa < pb)


def bump(text, part):
    major, minor, patch = parse(text)
    if part == "major":
        return f"{major + 1}.0.0"
    if part == "minor":
        return f"{major}.{minor + 1}.0"
    if part == "patch":
        return f"{major}.{minor}.{patch + 1}"
    raise ValueError(f"unknown part: {part!r}")


def latest(versions):
    if not versions:
        raise ValueError("no versions given")
    best = versions[0]
    for v in versions[1:]:
        if compare(v, best) > 0:
            best = v
    return best
