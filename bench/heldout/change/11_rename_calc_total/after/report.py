"""Text report of all orders."""
from orders import ORDERS, order_total


def order_line(order_id):
    items = ORDERS[order_id]
    net = order_total(items)
    gross = order_total(items, with_tax=True)
    return f"{order_id}: {len(items)} item(s), net {net:.2f}, gross {gross:.2f}"


def full_report():
    lines = [order_line(oid) for oid in sorted(ORDERS)]
    grand = sum(order_total(ORDERS[oid]) for oid in ORDERS)
    lines.append(f"all orders: {grand:.2f}")
    return "\n".join(lines)
