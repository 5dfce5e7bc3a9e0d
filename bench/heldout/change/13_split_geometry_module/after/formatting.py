"""Pretty printing of areas."""
from geometry import area

UNIT = "cm"


def format_area(value):
    return f"{value:.2f} sq {UNIT}"


def format_table(shapes):
    lines = []
    for shape in shapes:
        lines.append(f"{shape[0]:<10}{format_area(area(shape)):>16}")
    total = sum(area(s) for s in shapes)
    lines.append(f"{'total':<10}{format_area(total):>16}")
    return "\n".join(lines)
