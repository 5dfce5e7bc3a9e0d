"""Check for new2/03_batch_rename: python check.py PROJECT_DIR"""
import os
import shutil
import subprocess
import sys
import tempfile


def fail(msg):
    print("FAIL: " + " / ".join(x.strip() for x in str(msg).splitlines() if x.strip()))
    sys.exit(1)


if len(sys.argv) != 2 or not os.path.isdir(sys.argv[1]):
    fail("usage: python check.py PROJECT_DIR")
P = os.path.abspath(sys.argv[1])
if not os.path.isfile(os.path.join(P, "batchname.py")):
    fail("batchname.py is missing")


def run(args):
    try:
        return subprocess.run([sys.executable, "batchname.py"] + args, cwd=P, capture_output=True,
                              text=True, timeout=15)
    except subprocess.TimeoutExpired:
        raise RuntimeError("timed out: batchname.py " + " ".join(args))


def make_folder(base, name):
    d = os.path.join(base, name)
    os.makedirs(os.path.join(d, "sub"))
    files = {"beach.jpg": "B", "IMG_7.JPG": "I", "notes": "N", "Zoo.png": "Z", ".hidden": "H",
             "apple.tar.gz": "A", "sub/inner.txt": "S"}
    for rel, content in files.items():
        with open(os.path.join(d, rel), "w") as f:
            f.write(content)
    return d


def listing(d):
    out = {}
    for root, dirs, files in os.walk(d):
        for n in files:
            path = os.path.join(root, n)
            with open(path) as f:
                out[os.path.relpath(path, d).replace(os.sep, "/")] = f.read()
    return out


def out_lines(r):
    return [l.rstrip() for l in r.stdout.strip().splitlines()]


def checks(base):
    # real run, default start
    d = make_folder(base, "holiday")
    r = run([d, "--prefix", "trip"])
    if r.returncode != 0:
        return "batchname.py exited with %d: %s" % (r.returncode, r.stderr.strip()[-300:])
    want = ["apple.tar.gz -> trip_001.gz", "beach.jpg -> trip_002.jpg", "IMG_7.JPG -> trip_003.JPG",
            "notes -> trip_004", "Zoo.png -> trip_005.png", "Renamed 5 file(s)"]
    if out_lines(r) != want:
        return "output was %r, expected %r" % (out_lines(r), want)
    want_files = {"trip_001.gz": "A", "trip_002.jpg": "B", "trip_003.JPG": "I", "trip_004": "N",
                  "trip_005.png": "Z", ".hidden": "H", "sub/inner.txt": "S"}
    if listing(d) != want_files:
        return "folder after renaming holds %r, expected %r" % (listing(d), want_files)

    # dry run with a large start number
    d = make_folder(base, "dry")
    before = listing(d)
    r = run(["--dry-run", d, "--prefix", "x", "--start", "998"])
    if r.returncode != 0:
        return "--dry-run exited with %d: %s" % (r.returncode, r.stderr.strip()[-300:])
    want = ["apple.tar.gz -> x_998.gz", "beach.jpg -> x_999.jpg", "IMG_7.JPG -> x_1000.JPG",
            "notes -> x_1001", "Zoo.png -> x_1002.png", "Would rename 5 file(s)"]
    if out_lines(r) != want:
        return "--dry-run --start 998 output was %r, expected %r" % (out_lines(r), want)
    if listing(d) != before:
        return "--dry-run changed the folder"

    # --start with a small number, other prefix
    d = make_folder(base, "start")
    r = run([d, "--start", "7", "--prefix", "pic"])
    if r.returncode != 0 or out_lines(r)[0] != "apple.tar.gz -> pic_007.gz" or \
            out_lines(r)[-1] != "Renamed 5 file(s)" or "pic_011.png" not in listing(d):
        return "--start 7 gave %r" % (out_lines(r) + [r.stderr.strip()[-200:]])

    # empty folder
    d = os.path.join(base, "empty")
    os.makedirs(d)
    r = run([d, "--prefix", "e"])
    if r.returncode != 0 or out_lines(r) != ["Renamed 0 file(s)"]:
        return "on an empty folder got %r (exit %d)" % (r.stdout, r.returncode)

    # missing folder
    missing = "no_such_folder_for_check"
    if os.path.exists(os.path.join(P, missing)):
        return "unexpected " + missing + " in the project"
    r = run([missing, "--prefix", "q"])
    if r.returncode != 1 or "error: no such folder: " + missing not in r.stderr:
        return "missing folder gave exit %d, stderr %r" % (r.returncode, r.stderr.strip()[-200:])
    return None


base = tempfile.mkdtemp(prefix="batchname_check_")
try:
    try:
        problem = checks(base)
    except RuntimeError as e:
        problem = str(e)
finally:
    shutil.rmtree(base, ignore_errors=True)
if problem:
    fail(problem)
print("PASS: files renamed in case-insensitive order with 3-digit numbers and kept extensions; --start, --dry-run, empty and missing folder right")
sys.exit(0)
