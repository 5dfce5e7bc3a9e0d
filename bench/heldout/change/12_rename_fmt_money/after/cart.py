"""A shopping cart."""
from money import format_price, parse_money


class Cart:
    def __init__(self):
        self.lines = []

    def add(self, name, price_text, qty=1):
        self.lines.append((name, parse_money(price_text), qty))

    def total(self):
        return sum(price * qty for _name, price, qty in self.lines)

    def describe(self):
        return [f"{qty} x {name} @ {format_price(price)}" for name, price, qty in self.lines]
