"""Order data and pricing."""

TAX_RATE = 0.2

ORDERS = {
    "A100": [("notebook", 2, 3.50), ("pen", 10, 0.80)],
    "A101": [("backpack", 1, 45.00)],
    "A102": [("pen", 3, 0.80), ("ruler", 1, 1.20), ("stapler", 1, 7.99)],
}


def order_total(items, with_tax=False):
    """Sum of quantity * price for a list of (name, qty, price)."""
    total = sum(qty * price for _name, qty, price in items)
    if with_tax:
        total *= 1 + TAX_RATE
    return round(total, 2)


def biggest_order():
    return max(ORDERS, key=lambda oid: order_total(ORDERS[oid]))
