"""Check for change2/05_make_interval_tests_pass: python check.py PROJECT_DIR"""
import json
import os
import subprocess
import sys


def fail(msg):
    print("FAIL: " + " / ".join(x.strip() for x in str(msg).splitlines() if x.strip()))
    sys.exit(1)


if len(sys.argv) != 2 or not os.path.isdir(sys.argv[1]):
    fail("usage: python check.py PROJECT_DIR")
P = os.path.abspath(sys.argv[1])

ORIGINAL_TEST = 'import unittest\n\nfrom intervals import merge, overlaps, total_length\n\n\nclass OverlapsTest(unittest.TestCase):\n    def test_overlapping(self):\n        self.assertTrue(overlaps((1, 5), (4, 8)))\n\n    def test_touching(self):\n        self.assertTrue(overlaps((1, 3), (3, 6)))\n\n    def test_apart(self):\n        self.assertFalse(overlaps((1, 2), (5, 6)))\n\n\nclass MergeTest(unittest.TestCase):\n    def test_empty(self):\n        self.assertEqual(merge([]), [])\n\n    def test_sorted_input(self):\n        self.assertEqual(merge([(1, 3), (2, 6), (8, 10)]), [(1, 6), (8, 10)])\n\n    def test_unsorted_input(self):\n        self.assertEqual(merge([(8, 10), (1, 3), (2, 6)]), [(1, 6), (8, 10)])\n\n    def test_touching_ranges_join(self):\n        self.assertEqual(merge([(1, 3), (3, 5)]), [(1, 5)])\n\n    def test_range_inside_another(self):\n        self.assertEqual(merge([(1, 10), (2, 4)]), [(1, 10)])\n\n    def test_input_not_changed(self):\n        data = [(5, 6), (1, 2)]\n        merge(data)\n        self.assertEqual(data, [(5, 6), (1, 2)])\n\n\nclass TotalLengthTest(unittest.TestCase):\n    def test_empty(self):\n        self.assertEqual(total_length([]), 0)\n\n    def test_single(self):\n        self.assertEqual(total_length([(2, 7)]), 5)\n\n    def test_overlap_counted_once(self):\n        self.assertEqual(total_length([(1, 3), (2, 6), (8, 9)]), 6)\n\n\nif __name__ == "__main__":\n    unittest.main()\n'


def run(args):
    try:
        return subprocess.run([sys.executable] + args, cwd=P, capture_output=True,
                              text=True, timeout=15)
    except subprocess.TimeoutExpired:
        fail("timed out: " + " ".join(args))


for name in ("intervals.py", "test_intervals.py"):
    if not os.path.isfile(os.path.join(P, name)):
        fail(name + " is missing")
with open(os.path.join(P, "test_intervals.py")) as f:
    if f.read().replace("\r\n", "\n") != ORIGINAL_TEST:
        fail("test_intervals.py was changed")

r = run(["test_intervals.py"])
if r.returncode != 0 or "Ran 12 tests" not in r.stderr or "OK" not in r.stderr:
    fail("python test_intervals.py does not pass: " + r.stderr.strip()[-400:])

# more cases than the test file has
PROBE = r"""
import json
from intervals import merge, overlaps, total_length
def norm(x):
    return [tuple(p) for p in x]
out = {}
out["m1"] = norm(merge([(5, 7), (1, 2), (2, 4)]))
out["m2"] = norm(merge([(0, 100), (10, 20), (30, 40), (150, 160)]))
out["m3"] = norm(merge([(4, 4)]))
out["m4"] = norm(merge([(9, 12), (3, 5), (6, 8), (5, 6)]))
out["m5"] = norm(merge([(1, 2), (4, 5), (7, 8)]))
out["t1"] = total_length([(10, 20), (15, 25), (30, 31)])
out["t2"] = total_length([(0, 100), (10, 20)])
out["t3"] = total_length([(3, 3)])
out["t4"] = total_length([(7, 9), (1, 4)])
out["o1"] = overlaps((5, 9), (1, 5))
out["o2"] = overlaps((1, 2), (3, 4))
data = [(3, 4), (1, 2)]
total_length(data)
out["unchanged"] = data == [(3, 4), (1, 2)]
print(json.dumps(out))
"""
WANT = {
    "m1": [[1, 4], [5, 7]],
    "m2": [[0, 100], [150, 160]],
    "m3": [[4, 4]],
    "m4": [[3, 8], [9, 12]],
    "m5": [[1, 2], [4, 5], [7, 8]],
    "t1": 16, "t2": 100, "t3": 0, "t4": 5,
    "o1": True, "o2": False, "unchanged": True,
}
r = run(["-c", PROBE])
if r.returncode != 0:
    fail("extra cases crashed: " + r.stderr.strip()[-400:])
try:
    got = json.loads(r.stdout.strip().splitlines()[-1])
except Exception:
    fail("could not read the extra cases' results: " + r.stdout[-300:])
for key, want in WANT.items():
    if got.get(key) != want:
        fail("extra case %s: got %r, expected %r" % (key, got.get(key), want))

print("PASS: python test_intervals.py passes (test file untouched) and extra merge/total_length cases are right")
sys.exit(0)
