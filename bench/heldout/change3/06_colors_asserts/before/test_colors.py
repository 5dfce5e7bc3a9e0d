from colors import hex_to_rgb, rgb_to_hex, to_css, mix

# hex_to_rgb
assert hex_to_rgb("#ff8800") == (255, 136, 0)
assert hex_to_rgb("00FF7f") == (0, 255, 127)
assert hex_to_rgb("#fff") == (255, 255, 255)
assert hex_to_rgb("#0a3") == (0, 170, 51)
for bad in ["#12345", "#ff88001", "", "#ggg"]:
    try:
        hex_to_rgb(bad)
    except ValueError:
        pass
    else:
        raise AssertionError(f"hex_to_rgb({bad!r}) should raise ValueError")

# rgb_to_hex
assert rgb_to_hex((255, 136, 0)) == "#ff8800"
assert rgb_to_hex((0, 10, 5)) == "#000a05"
assert rgb_to_hex((300, -5, 128)) == "#ff0080"  # out of range gets clamped

# to_css
assert to_css((255, 136, 0)) == "rgb(255, 136, 0)"

# mix(a, b, t): t=0 gives a, t=1 gives b, rounded to the nearest whole value
assert mix("#ff0000", "#0000ff", 0.25) == "#bf0040"
assert mix("#000000", "#ffffff", 0) == "#000000"
assert mix("#000000", "#ffffff", 1) == "#ffffff"
assert mix("#123456", "#123456", 0.7) == "#123456"
assert mix("#102030", "#302010") == "#202020"  # t defaults to 0.5

print("all colour tests passed")
