"""Split a list into consecutive chunks."""


def chunked(items, size):
    """Return a list of consecutive pieces of `items`, each at most `size` long.

    >>> chunked([1, 2, 3, 4, 5], 2)
    [[1, 2], [3, 4], [5]]
    """
    if isinstance(size, bool) or not isinstance(size, int) or size <= 0:
        raise ValueError("size must be a positive integer, got %r" % (size,))
    items = list(items)
    return [items[i:i + size] for i in range(0, len(items), size)]
