"""Checker for 07_netaddr_unittest: python check.py PROJECT_DIR"""
import json
import os
import subprocess
import sys

ORIGINAL_TEST = 'import unittest\n\nfrom netaddr import format_ip, host_count, in_network, netmask, parse_cidr, parse_ip\n\n\nclass ParseTests(unittest.TestCase):\n    def test_parse_ip(self):\n        self.assertEqual(parse_ip("192.168.1.10"), 3232235786)\n        self.assertEqual(parse_ip("0.0.0.0"), 0)\n        self.assertEqual(parse_ip("255.255.255.255"), 2**32 - 1)\n\n    def test_parse_ip_rejects_bad_addresses(self):\n        for bad in ["1.2.3", "1.2.3.4.5", "256.0.0.1", "1.2.3.999", "a.b.c.d", ""]:\n            with self.subTest(bad=bad):\n                with self.assertRaises(ValueError):\n                    parse_ip(bad)\n\n    def test_format_ip_round_trip(self):\n        for text in ["10.0.0.1", "172.16.254.3", "8.8.4.4"]:\n            self.assertEqual(format_ip(parse_ip(text)), text)\n\n    def test_parse_cidr(self):\n        self.assertEqual(parse_cidr("10.0.0.0/8"), (167772160, 8))\n        with self.assertRaises(ValueError):\n            parse_cidr("10.0.0.0/33")\n\n\nclass NetworkTests(unittest.TestCase):\n    def test_netmask(self):\n        self.assertEqual(netmask(24), 0xFFFFFF00)\n        self.assertEqual(netmask(0), 0)\n        self.assertEqual(netmask(32), 0xFFFFFFFF)\n        self.assertEqual(format_ip(netmask(20)), "255.255.240.0")\n\n    def test_in_network(self):\n        self.assertTrue(in_network("10.1.2.3", "10.0.0.0/8"))\n        self.assertFalse(in_network("11.0.0.1", "10.0.0.0/8"))\n        self.assertTrue(in_network("192.168.1.255", "192.168.1.0/24"))\n        self.assertFalse(in_network("192.168.2.0", "192.168.1.0/24"))\n        self.assertTrue(in_network("8.8.8.8", "0.0.0.0/0"))\n        self.assertTrue(in_network("10.0.0.7", "10.0.0.7/32"))\n        self.assertFalse(in_network("10.0.0.8", "10.0.0.7/32"))\n\n    def test_host_count(self):\n        self.assertEqual(host_count("192.168.1.0/24"), 254)\n        self.assertEqual(host_count("10.0.0.0/30"), 2)\n        self.assertEqual(host_count("10.0.0.0/31"), 2)\n        self.assertEqual(host_count("10.0.0.1/32"), 1)\n        self.assertEqual(host_count("10.0.0.0/8"), 16777214)\n\n\nif __name__ == "__main__":\n    unittest.main()\n'

# (function, args, expected) -- expected None means "must raise ValueError"
HIDDEN = [
    ("parse_ip", ["127.0.0.1"], 2130706433),
    ("parse_ip", ["10.20.30.40"], 169090600),
    ("parse_ip", ["1.2.3.-4"], None),
    ("parse_ip", ["1..2.3"], None),
    ("parse_ip", ["10.0.0.256"], None),
    ("parse_ip", ["1.2.3.4."], None),
    ("parse_ip", ["300.1.1.1"], None),
    ("parse_ip", ["1.2.3"], None),
    ("format_ip", [0], "0.0.0.0"),
    ("format_ip", [4294967295], "255.255.255.255"),
    ("format_ip", [169090600], "10.20.30.40"),
    ("parse_cidr", ["10.0.0.0/32"], [167772160, 32]),
    ("parse_cidr", ["192.168.0.0/0"], [3232235520, 0]),
    ("parse_cidr", ["10.0.0.0/-1"], None),
    ("parse_cidr", ["10.0.0.0/40"], None),
    ("parse_cidr", ["10.0.0.0/x"], None),
    ("parse_cidr", ["300.0.0.0/8"], None),
    ("netmask", [1], 0x80000000),
    ("netmask", [8], 0xFF000000),
    ("netmask", [16], 0xFFFF0000),
    ("netmask", [26], 0xFFFFFFC0),
    ("netmask", [31], 0xFFFFFFFE),
    ("in_network", ["172.16.5.4", "172.16.0.0/12"], True),
    ("in_network", ["172.31.255.255", "172.16.0.0/12"], True),
    ("in_network", ["172.32.0.1", "172.16.0.0/12"], False),
    ("in_network", ["192.168.1.77", "192.168.1.64/26"], True),
    ("in_network", ["192.168.1.128", "192.168.1.64/26"], False),
    ("in_network", ["192.168.1.63", "192.168.1.64/26"], False),
    ("in_network", ["128.0.0.1", "128.0.0.0/1"], True),
    ("in_network", ["127.255.255.255", "128.0.0.0/1"], False),
    ("in_network", ["10.0.0.9", "10.0.0.8/31"], True),
    ("host_count", ["10.0.0.0/29"], 6),
    ("host_count", ["172.16.0.0/16"], 65534),
    ("host_count", ["0.0.0.0/0"], 4294967294),
    ("host_count", ["192.168.5.16/28"], 14),
    ("host_count", ["128.0.0.0/1"], 2147483646),
    ("host_count", ["10.9.8.7/31"], 2),
    ("host_count", ["10.9.8.7/32"], 1),
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
import netaddr
cases = json.loads(sys.argv[1])
out = []
for name, args, _ in cases:
    try:
        value = getattr(netaddr, name)(*args)
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
    for name in ("netaddr.py", "test_netaddr.py"):
        if not os.path.isfile(os.path.join(project, name)):
            fail(f"{name} is missing")
    with open(os.path.join(project, "test_netaddr.py"), encoding="utf-8") as f:
        if f.read() != ORIGINAL_TEST:
            fail("test_netaddr.py was edited")
    for args in (["-m", "unittest", "test_netaddr"], ["test_netaddr.py"]):
        r = run(project, args)
        if r.returncode != 0 or "Ran 7 tests" not in r.stderr or "OK" not in r.stderr:
            fail(f"python {' '.join(args)} did not pass: {r.stderr.strip()[-500:]}")

    r = run(project, ["-c", PROBE, json.dumps(HIDDEN)])
    if r.returncode != 0:
        fail(f"calling netaddr functions failed: {r.stderr.strip()[-400:]}")
    got = json.loads(r.stdout.strip().splitlines()[-1])
    for (name, args, want), (status, value) in zip(HIDDEN, got):
        shown = f"{name}({', '.join(repr(a) for a in args)})"
        if want is None:
            if status != "ValueError":
                fail(f"{shown} should raise ValueError, got {status} {value!r}")
        elif status != "ok" or value != want:
            fail(f"{shown} gave {status} {value!r}, expected {want!r}")
    print("PASS: the unittest file passes untouched, and netaddr.py is right on further cases")


if __name__ == "__main__":
    try:
        main()
    except SystemExit:
        raise
    except Exception as exc:
        fail(f"checker error: {exc!r}")
