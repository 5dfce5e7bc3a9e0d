"""Checker for 04_hexdump_width: python check.py PROJECT_DIR"""
import os
import random
import subprocess
import sys


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
        fail(f"timed out (endless loop?): {' '.join(args)}")


def ref_dump(data, width=16):
    out = []
    for offset in range(0, len(data), width):
        chunk = data[offset:offset + width]
        hex_part = " ".join(f"{b:02x}" for b in chunk)
        text = "".join(chr(b) if 32 <= b < 127 else "." for b in chunk)
        out.append(f"{offset:08x}  {hex_part:<{width * 3 - 1}}  |{text}|")
    out.append(f"{len(data):08x}")
    return "\n".join(out) + "\n"


def main():
    if len(sys.argv) != 2:
        print("usage: python check.py PROJECT_DIR")
        sys.exit(2)
    project = os.path.abspath(sys.argv[1])
    if not os.path.isfile(os.path.join(project, "hexdump.py")):
        fail("hexdump.py is missing")
    rng = random.Random(20240611)
    blobs = {
        "_chk_empty.bin": b"",
        "_chk_one.bin": b"A",
        "_chk_16.bin": bytes(range(60, 76)),
        "_chk_17.bin": b"0123456789abcdef\x7f",
        "_chk_all.bin": bytes(range(256)),
        "_chk_rand.bin": bytes(rng.randrange(256) for _ in range(203)),
    }
    made = []
    try:
        for name, data in blobs.items():
            with open(os.path.join(project, name), "wb") as f:
                made.append(name)
                f.write(data)
        # the sample file the user has, default width, byte-for-byte as before
        with open(os.path.join(project, "sample.bin"), "rb") as f:
            sample = f.read()
        blobs_all = dict(blobs, **{"sample.bin": sample})
        for name, data in blobs_all.items():
            r = run(project, ["hexdump.py", name])
            if r.returncode != 0 or r.stdout != ref_dump(data):
                fail(f"output without --width changed for {name}: {r.stdout[:300]!r} {r.stderr.strip()[-200:]}")
        for width in (8, 1, 5, 20, 32, 16, 3):
            for name in ("_chk_rand.bin", "_chk_17.bin", "_chk_empty.bin", "sample.bin"):
                data = blobs_all[name]
                for args in (["hexdump.py", name, "--width", str(width)],
                             ["hexdump.py", "--width", str(width), name]):
                    r = run(project, args)
                    if r.returncode != 0:
                        fail(f"{' '.join(args)} exited {r.returncode}: {r.stderr.strip()[-300:]}")
                    if r.stdout != ref_dump(data, width):
                        fail(f"{' '.join(args)} printed {r.stdout[:400]!r}, expected {ref_dump(data, width)[:400]!r}")
        for bad in ("0", "-3"):
            r = run(project, ["hexdump.py", "_chk_17.bin", "--width", bad])
            if r.returncode == 0:
                fail(f"--width {bad} should exit non-zero")
            if "Traceback" in r.stderr:
                fail(f"--width {bad} gave a traceback instead of an error message")
            if not (r.stderr.strip() or r.stdout.strip()):
                fail(f"--width {bad} printed no error message")
    finally:
        for name in made:
            p = os.path.join(project, name)
            if os.path.exists(p):
                os.remove(p)
    print("PASS: --width N sets bytes per line with the text column aligned; default output unchanged; bad widths rejected")


if __name__ == "__main__":
    try:
        main()
    except SystemExit:
        raise
    except Exception as exc:
        fail(f"checker error: {exc!r}")
