"""Checker for 06_colors_asserts: python check.py PROJECT_DIR"""
import json
import os
import subprocess
import sys

ORIGINAL_TEST = 'from colors import hex_to_rgb, rgb_to_hex, to_css, mix\n\n# hex_to_rgb\nassert hex_to_rgb("#ff8800") == (255, 136, 0)\nassert hex_to_rgb("00FF7f") == (0, 255, 127)\nassert hex_to_rgb("#fff") == (255, 255, 255)\nassert hex_to_rgb("#0a3") == (0, 170, 51)\nfor bad in ["#12345", "#ff88001", "", "#ggg"]:\n    try:\n        hex_to_rgb(bad)\n    except ValueError:\n        pass\n    else:\n        raise AssertionError(f"hex_to_rgb({bad!r}) should raise ValueError")\n\n# rgb_to_hex\nassert rgb_to_hex((255, 136, 0)) == "#ff8800"\nassert rgb_to_hex((0, 10, 5)) == "#000a05"\nassert rgb_to_hex((300, -5, 128)) == "#ff0080"  # out of range gets clamped\n\n# to_css\nassert to_css((255, 136, 0)) == "rgb(255, 136, 0)"\n\n# mix(a, b, t): t=0 gives a, t=1 gives b, rounded to the nearest whole value\nassert mix("#ff0000", "#0000ff", 0.25) == "#bf0040"\nassert mix("#000000", "#ffffff", 0) == "#000000"\nassert mix("#000000", "#ffffff", 1) == "#ffffff"\nassert mix("#123456", "#123456", 0.7) == "#123456"\nassert mix("#102030", "#302010") == "#202020"  # t defaults to 0.5\n\nprint("all colour tests passed")\n'

# (function, args, expected) -- expected None means "must raise ValueError"
HIDDEN = [
    ("hex_to_rgb", ["ABC"], [170, 187, 204]),
    ("hex_to_rgb", ["#AbCdEf"], [171, 205, 239]),
    ("hex_to_rgb", ["#000"], [0, 0, 0]),
    ("hex_to_rgb", ["123"], [17, 34, 51]),
    ("hex_to_rgb", ["#7f7f80"], [127, 127, 128]),
    ("hex_to_rgb", ["#1234"], None),
    ("hex_to_rgb", ["abcd"], None),
    ("hex_to_rgb", ["#1"], None),
    ("hex_to_rgb", ["12345678"], None),
    ("hex_to_rgb", ["#12z"], None),
    ("rgb_to_hex", [[1, 2, 3]], "#010203"),
    ("rgb_to_hex", [[256, 0, -1]], "#ff0000"),
    ("rgb_to_hex", [[15, 16, 17]], "#0f1011"),
    ("rgb_to_hex", [[0, 0, 0]], "#000000"),
    ("rgb_to_hex", [[255, 255, 255]], "#ffffff"),
    ("rgb_to_hex", [[-40, 999, 200]], "#00ffc8"),
    ("to_css", [[1, 2, 3]], "rgb(1, 2, 3)"),
    ("to_css", [[0, 128, 255]], "rgb(0, 128, 255)"),
    ("mix", ["#ffffff", "#000000", 0.2], "#cccccc"),
    ("mix", ["#0a0b0c", "#f0e0d0", 0.3], "#4f4b47"),
    ("mix", ["#fff", "#000", 0.75], "#404040"),
    ("mix", ["#204060", "#608040"], "#406050"),
    ("mix", ["#00ff00", "#ff0000", 0.8], "#cc3300"),
    ("mix", ["#336699", "#993366", 0.0], "#336699"),
]


def fail(msg):
    msg = " | ".join(str(msg).splitlines())
    if len(msg) > 1200:
        msg = msg[:1200] + " ..."
    print(f"FAIL: {msg}")
    sys.exit(1)


def run(project, args):
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    try:
        return subprocess.run([sys.executable] + args, cwd=project, env=env,
                              capture_output=True, text=True, timeout=15)
    except subprocess.TimeoutExpired:
        fail(f"timed out: {' '.join(args)}")


PROBE = """
import json, sys
import colors
cases = json.loads(sys.argv[1])
out = []
for name, args, _ in cases:
    args = [tuple(a) if isinstance(a, list) else a for a in args]
    try:
        value = getattr(colors, name)(*args)
        out.append(["ok", list(value) if isinstance(value, tuple) else value])
    except ValueError:
        out.append(["ValueError", None])
    except Exception as exc:
        out.append(["error", repr(exc)])
print(json.dumps(out))
"""


def main():
    if len(sys.argv) != 2:
        print("usage: python check.py PROJECT_DIR")
        sys.exit(2)
    project = os.path.abspath(sys.argv[1])
    for name in ("colors.py", "test_colors.py"):
        if not os.path.isfile(os.path.join(project, name)):
            fail(f"{name} is missing")
    with open(os.path.join(project, "test_colors.py"), encoding="utf-8") as f:
        if f.read() != ORIGINAL_TEST:
            fail("test_colors.py was edited")
    r = run(project, ["test_colors.py"])
    if r.returncode != 0:
        fail(f"python test_colors.py exited {r.returncode}: {r.stderr.strip()[-400:]}")
    if not r.stdout.strip().endswith("all colour tests passed"):
        fail(f"python test_colors.py did not finish: {r.stdout!r}")

    r = run(project, ["-c", PROBE, json.dumps(HIDDEN)])
    if r.returncode != 0:
        fail(f"calling colors functions failed: {r.stderr.strip()[-400:]}")
    got = json.loads(r.stdout.strip().splitlines()[-1])
    for (name, args, want), (status, value) in zip(HIDDEN, got):
        shown = f"{name}({', '.join(repr(tuple(a) if isinstance(a, list) else a) for a in args)})"
        if want is None:
            if status != "ValueError":
                fail(f"{shown} should raise ValueError, got {status} {value!r}")
        elif status != "ok" or value != want:
            fail(f"{shown} gave {status} {value!r}, expected {want!r}")
    print("PASS: test_colors.py passes untouched, and colors.py is right on further cases")


if __name__ == "__main__":
    try:
        main()
    except SystemExit:
        raise
    except Exception as exc:
        fail(f"checker error: {exc!r}")
