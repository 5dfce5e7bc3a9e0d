"""Money helpers. Amounts are whole cents (ints)."""

CURRENCY = "EUR"


def parse_money(text):
    """'12.34' -> 1234"""
    whole, _, frac = text.strip().partition(".")
    frac = (frac + "00")[:2]
    sign = -1 if whole.startswith("-") else 1
    return sign * (abs(int(whole or "0")) * 100 + int(frac))


def fmt_money(cents):
    """1234 -> 'EUR 12.34'"""
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    return f"{sign}{CURRENCY} {cents // 100}.{cents % 100:02d}"


def fmt_money_list(amounts):
    return ", ".join(fmt_money(a) for a in amounts)
