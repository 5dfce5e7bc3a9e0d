"""Small colour helpers for my palette scripts."""


def hex_to_rgb(code):
    """'#ff8800' -> (255, 136, 0); the short form '#f80' works too."""
    code = code.lstrip("#")
    if len(code) == 3:
        code = "".join(ch * 2 for ch in code)
    if len(code) != 6:
        raise ValueError(f"not a hex colour: {code!r}")
    return tuple(int(code[i:i + 2], 16) for i in (0, 2, 4))


def _clamp(value):
    return max(0, min(255, int(value)))


def rgb_to_hex(rgb):
    """(255, 136, 0) -> '#ff8800'; values outside 0..255 are clamped."""
    r, g, b = (_clamp(v) for v in rgb)
    return f"#{r:02x}{g:02x}{b:02x}"


def to_css(rgb):
    """(255, 136, 0) -> 'rgb(255, 136, 0)'"""
    return "rgb({}, {}, {})".format(*rgb)


def mix(a, b, t=0.5):
    """Blend two hex colours: t=0 gives a, t=1 gives b."""
    ra, ga, ba = hex_to_rgb(a)
    rb, gb, bb = hex_to_rgb(b)
    return rgb_to_hex(tuple(round(x + (y - x) * t)
                            for x, y in ((ra, rb), (ga, gb), (ba, bb))))
