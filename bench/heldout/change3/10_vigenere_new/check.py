"""Checker for 10_vigenere_new: python check.py PROJECT_DIR"""
import os
import random
import string
import subprocess
import sys


def fail(msg):
    msg = " | ".join(str(msg).splitlines())
    if len(msg) > 1200:
        msg = msg[:1200] + " ..."
    print(f"FAIL: {msg}")
    sys.exit(1)


def run(project, args):
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1", PYTHONIOENCODING="utf-8")
    try:
        return subprocess.run([sys.executable] + args, cwd=project, env=env,
                              capture_output=True, text=True, encoding="utf-8",
                              timeout=15)
    except subprocess.TimeoutExpired:
        fail(f"timed out: {' '.join(args)}")


def ref(key, text, direction):
    shifts = [ord(c) - ord("a") for c in key.lower()]
    out, i = [], 0
    for ch in text:
        if ch in string.ascii_letters:
            base = ord("a") if ch.islower() else ord("A")
            out.append(chr((ord(ch) - base + direction * shifts[i % len(shifts)]) % 26 + base))
            i += 1
        else:
            out.append(ch)
    return "".join(out)


def main():
    if len(sys.argv) != 2:
        print("usage: python check.py PROJECT_DIR")
        sys.exit(2)
    project = os.path.abspath(sys.argv[1])
    if not os.path.isfile(os.path.join(project, "vigenere.py")):
        fail("vigenere.py is missing")

    rng = random.Random(7)
    alphabet = string.ascii_letters + string.digits + " .,;:!?'-()@#"
    cases = [
        ("KEY", "Hello, World"),
        ("LeMoN", "Meet me at 10:45 by the 2nd gate."),
        ("a", "Unchanged Text 123"),
        ("z", "abc XYZ"),
        ("b", "Zebra zoo, ZZZ!"),
        ("Python", "the quick brown fox jumps over the lazy dog"),
        ("QWERTYUIOPASDFGHJKLZXCVBNM", "Short"),
        ("abc", "...,,,   !!!"),
        ("secret", "  leading and trailing spaces  "),
    ]
    for _ in range(6):
        key = "".join(rng.choice(string.ascii_letters) for _ in range(rng.randint(1, 9)))
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(5, 60)))
        cases.append((key, text.strip() or "x"))

    for key, text in cases:
        for mode, direction in (("encrypt", 1), ("decrypt", -1)):
            r = run(project, ["vigenere.py", mode, key, text])
            want = ref(key, text, direction)
            if r.returncode != 0:
                fail(f"vigenere.py {mode} {key} {text!r} exited {r.returncode}: {r.stderr.strip()[-300:]}")
            if r.stdout.rstrip("\n") != want:
                fail(f"vigenere.py {mode} {key} {text!r} printed {r.stdout!r}, expected {want!r}")
    # round trip
    key, text = "Harbour", "Ship 42 leaves at dawn; bring rope & lamps."
    enc = run(project, ["vigenere.py", "encrypt", key, text]).stdout.rstrip("\n")
    dec = run(project, ["vigenere.py", "decrypt", key.lower(), enc]).stdout.rstrip("\n")
    if dec != text:
        fail(f"decrypt(encrypt(text)) gave {dec!r}, expected {text!r}")

    bad_calls = [
        ["encrypt", "k3y", "hello"],
        ["encrypt", "", "hello"],
        ["decrypt", "two words", "hello"],
        ["decrypt", "abc!", "hello"],
        ["scramble", "key", "hello"],
        ["ENCRYPTX", "key", "hello"],
    ]
    for args in bad_calls:
        r = run(project, ["vigenere.py"] + args)
        if r.returncode != 1:
            fail(f"vigenere.py {args} should exit with status 1, got {r.returncode}")
        if "Traceback" in r.stderr:
            fail(f"vigenere.py {args} crashed with a traceback instead of an error message")
        if not (r.stdout.strip() or r.stderr.strip()):
            fail(f"vigenere.py {args} printed no error message")
    print("PASS: encrypt/decrypt keep case and non-letters, key case-insensitive, bad key/mode exit 1")


if __name__ == "__main__":
    try:
        main()
    except SystemExit:
        raise
    except Exception as exc:
        fail(f"checker error: {exc!r}")
