"""Small colour helpers for my palette scripts."""


def hex_to_rgb(code):
    """'#ff8800' -> (255, 136, 0)"""
    code = code.lstrip("#")
    return tuple(int(code[i:i + 2], 16) for i in (0, 2, 4))


def rgb_to_hex(rgb):
    """(255, 136, 0) -> '#ff8800'"""
    r, g, b = rgb
    return "#" + hex(r)[2:] + hex(g)[2:] + hex(b)[2:]


def to_css(rgb):
    """(255, 136, 0) -> 'rgb(255, 136, 0)'"""
    return "rgb({}, {}, {})".format(*rgb)
