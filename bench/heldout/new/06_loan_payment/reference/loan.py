import argparse
import sys


def monthly_payment(principal, rate, years):
    n = years * 12
    r = rate / 100 / 12
    if r == 0:
        return principal / n
    return principal * r / (1 - (1 + r) ** -n)


def payoff(principal, rate, payment):
    """Simulate paying `payment` each month; return (months, total paid)."""
    r = rate / 100 / 12
    balance = principal
    months = 0
    total = 0.0
    while balance > 1e-9:
        balance += balance * r
        pay = min(payment, balance)
        balance -= pay
        total += pay
        months += 1
        if months > 100000:
            break
    return months, total


def main():
    ap = argparse.ArgumentParser(description="Loan payment calculator")
    ap.add_argument("--principal", type=float, required=True)
    ap.add_argument("--rate", type=float, required=True)
    ap.add_argument("--years", type=int, required=True)
    ap.add_argument("--extra", type=float, default=None)
    a = ap.parse_args()
    if a.principal <= 0 or a.rate < 0 or a.years <= 0:
        print("error: principal and years must be positive and rate not negative", file=sys.stderr)
        return 1
    n = a.years * 12
    pay = round(monthly_payment(a.principal, a.rate, a.years), 2)
    print("Monthly payment: %.2f" % pay)
    if a.extra is None:
        total = pay * n
        print("Total paid: %.2f" % total)
        print("Total interest: %.2f" % (total - a.principal))
    else:
        months, total = payoff(a.principal, a.rate, pay + a.extra)
        print("Total paid: %.2f" % total)
        print("Total interest: %.2f" % (total - a.principal))
        print("Paid off in %d months" % months)
    return 0


if __name__ == "__main__":
    sys.exit(main())
