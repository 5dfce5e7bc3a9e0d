"""usage: python main.py [ORDER_ID]"""
import sys

import orders
import report


def main(argv):
    if argv:
        oid = argv[0]
        if oid not in orders.ORDERS:
            print(f"unknown order {oid}")
            return 1
        print(f"{oid} total: {orders.order_total(orders.ORDERS[oid]):.2f}")
        return 0
    print(report.full_report())
    print(f"biggest: {orders.biggest_order()}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
