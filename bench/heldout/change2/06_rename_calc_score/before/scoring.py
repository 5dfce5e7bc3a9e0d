"""Scoring rules for the weekly archery club shoot."""

BULLSEYE_BONUS = 5


def calc_score(arrows):
    """Points for one round: sum of the arrows plus a bonus per bullseye (10)."""
    total = sum(arrows)
    total += BULLSEYE_BONUS * arrows.count(10)
    return total


def best_round(rounds):
    return max(calc_score(r) for r in rounds)
