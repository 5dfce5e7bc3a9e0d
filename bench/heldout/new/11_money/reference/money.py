"""Money helpers working in integer cents."""
import re

_MONEY = re.compile(r"^(-)?\s*\$?\s*(-)?\s*(\d{1,3}(?:,\d{3})+|\d+)?(?:\.(\d{1,2}))?$")


def parse_money(text):
    if not isinstance(text, str):
        raise ValueError("expected a string")
    s = text.strip()
    m = _MONEY.match(s)
    if not s or not m or (m.group(3) is None and m.group(4) is None):
        raise ValueError("not a money amount: %r" % text)
    if m.group(1) and m.group(2):
        raise ValueError("not a money amount: %r" % text)
    dollars = int((m.group(3) or "0").replace(",", ""))
    frac = (m.group(4) or "").ljust(2, "0")
    cents = dollars * 100 + int(frac)
    return -cents if (m.group(1) or m.group(2)) else cents


def format_money(cents):
    sign = "-" if cents < 0 else ""
    dollars, rest = divmod(abs(int(cents)), 100)
    return "%s$%s.%02d" % (sign, "{:,}".format(dollars), rest)


def split_evenly(cents, n):
    if not isinstance(n, int) or n < 1:
        raise ValueError("n must be at least 1")
    base, extra = divmod(cents, n)
    return [base + 1] * extra + [base] * (n - extra)
