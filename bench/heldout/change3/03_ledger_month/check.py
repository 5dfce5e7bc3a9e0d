"""Checker for 03_ledger_month: python check.py PROJECT_DIR"""
import os
import subprocess
import sys

ORIGINAL_CSV = """date,amount,description
2024-02-01,1850.00,Salary
2024-02-03,-640.00,Rent
2024-02-14,-38.90,Flowers
2024-02-20,-112.35,Groceries
2024-03-01,1850.00,Salary
2024-03-02,-12.50,Bus pass
2024-03-03,-640.00,Rent
2024-03-09,25.00,Sold old lamp
2024-03-17,-96.80,Groceries
2024-04-01,1850.00,Salary
2024-04-03,-640.00,Rent
"""

EXPECTED_LIST = """2024-02-01    +1850.00  Salary
2024-02-03     -640.00  Rent
2024-02-14      -38.90  Flowers
2024-02-20     -112.35  Groceries
2024-03-01    +1850.00  Salary
2024-03-02      -12.50  Bus pass
2024-03-03     -640.00  Rent
2024-03-09      +25.00  Sold old lamp
2024-03-17      -96.80  Groceries
2024-04-01    +1850.00  Salary
2024-04-03     -640.00  Rent
"""

# a different ledger swapped in while checking
OTHER_CSV = """date,amount,description
2023-11-05,500.00,Bonus
2023-11-06,-20.00,Taxi
2024-01-15,0.10,Interest
2024-01-31,0.20,Interest
2024-10-01,300.00,Part-time job
2024-10-02,-410.25,"Bike repair, new chain"
2024-10-20,-0.75,Stamp
2024-10-28,55.00,Refund
2024-11-02,-19.99,Phone
2024-11-30,-5.01,Coffee
2024-12-24,-80.00,Presents
"""

# month -> expected lines (None: no entries)
MONTHS = {
    "2024-10": ("355.00", "411.00", "-56.00"),
    "2024-11": ("0.00", "25.00", "-25.00"),
    "2024-01": ("0.30", "0.00", "0.30"),
    "2023-11": ("500.00", "20.00", "480.00"),
    "2024-12": ("0.00", "80.00", "-80.00"),
    "2024-02": None,
    "2023-10": None,
}


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


def lines(text):
    return [l.strip() for l in text.splitlines() if l.strip()]


def check_month(project, month, want):
    r = run(project, ["ledger.py", "month", month])
    if r.returncode != 0:
        fail(f"ledger.py month {month} exited {r.returncode}: {(r.stderr or r.stdout).strip()[-300:]}")
    if want is None:
        expect = [f"No entries for {month}"]
    else:
        expect = [f"in: {want[0]}", f"out: {want[1]}", f"net: {want[2]}"]
    if lines(r.stdout) != expect:
        fail(f"ledger.py month {month} printed {r.stdout!r}, expected {expect!r}")


def checks(project, path):
    # the user's own file: existing commands unchanged
    r = run(project, ["ledger.py", "list"])
    if r.returncode != 0 or r.stdout != EXPECTED_LIST:
        fail(f"ledger.py list changed: {r.stdout!r} {r.stderr.strip()[-200:]}")
    r = run(project, ["ledger.py", "balance"])
    if r.returncode != 0 or r.stdout != "Balance: 3394.45\n":
        fail(f"ledger.py balance changed: {r.stdout!r} {r.stderr.strip()[-200:]}")
    r = run(project, ["ledger.py"])
    if r.returncode != 2 or not r.stdout.startswith("usage:"):
        fail("ledger.py without a command should still print usage and exit 2")
    check_month(project, "2024-04", ("1850.00", "640.00", "1210.00"))

    # another ledger
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(OTHER_CSV)
    for month, want in MONTHS.items():
        check_month(project, month, want)
    r = run(project, ["ledger.py", "balance"])
    if r.stdout != "Balance: 319.30\n":
        fail(f"balance on another ledger printed {r.stdout!r}, expected 'Balance: 319.30'")
    # add still works and month sees the new entry
    r = run(project, ["ledger.py", "add", "2024-11-15", "100", "Gift"])
    if r.returncode != 0 or r.stdout != "Added +100.00 on 2024-11-15\n":
        fail(f"ledger.py add changed: {r.stdout!r} {r.stderr.strip()[-200:]}")
    check_month(project, "2024-11", ("100.00", "25.00", "75.00"))


def main():
    if len(sys.argv) != 2:
        print("usage: python check.py PROJECT_DIR")
        sys.exit(2)
    project = os.path.abspath(sys.argv[1])
    if not os.path.isfile(os.path.join(project, "ledger.py")):
        fail("ledger.py is missing")
    path = os.path.join(project, "ledger.csv")
    with open(path, "rb") as f:
        saved = f.read()
    if saved.decode("utf-8", "replace").replace("\r\n", "\n") != ORIGINAL_CSV:
        fail("ledger.csv was changed")
    try:
        checks(project, path)
    finally:
        with open(path, "wb") as f:
            f.write(saved)
    print("PASS: month shows in/out/net per month (and 'No entries'); add, list and balance unchanged")


if __name__ == "__main__":
    try:
        main()
    except SystemExit:
        raise
    except Exception as exc:
        fail(f"checker error: {exc!r}")
