"""ISBN-10 / ISBN-13 validation and conversion."""


def _clean(s):
    if not isinstance(s, str):
        return None
    return s.replace("-", "").replace(" ", "")


def is_valid_isbn10(s):
    s = _clean(s)
    if s is None or len(s) != 10:
        return False
    total = 0
    for i, ch in enumerate(s):
        if ch.isdigit() and ch.isascii():
            v = int(ch)
        elif ch in "Xx" and i == 9:
            v = 10
        else:
            return False
        total += (10 - i) * v
    return total % 11 == 0


def is_valid_isbn13(s):
    s = _clean(s)
    if s is None or len(s) != 13 or not (s.isdigit() and s.isascii()):
        return False
    total = sum(int(ch) * (1 if i % 2 == 0 else 3) for i, ch in enumerate(s))
    return total % 10 == 0


def to_isbn13(isbn10):
    if not is_valid_isbn10(isbn10):
        raise ValueError("not a valid ISBN-10: %r" % (isbn10,))
    body = "978" + _clean(isbn10)[:9]
    total = sum(int(ch) * (1 if i % 2 == 0 else 3) for i, ch in enumerate(body))
    return body + str((10 - total % 10) % 10)
