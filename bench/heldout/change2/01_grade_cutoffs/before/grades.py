"""Turn a numeric score (0-100) into a letter grade."""

CUTOFFS = [(90, "A"), (80, "B"), (70, "C"), (60, "D")]


def letter(score):
    for cutoff, grade in CUTOFFS:
        if score > cutoff:
            return grade
    return "F"


def describe(score):
    return f"{score} ({letter(score)})"
