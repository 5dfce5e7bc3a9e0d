"""Product catalogue for the shop."""

PRODUCTS = {
    "kettle": "Electric kettle 1.7 l",
    "toaster": "Two-slice toaster",
    "mug": "Stoneware mug",
    "blender": "Countertop blender",
}


def describe(product):
    return PRODUCTS.get(product, "unknown product")


if __name__ == "__main__":
    for key in sorted(PRODUCTS):
        print(f"{key}: {describe(key)}")
