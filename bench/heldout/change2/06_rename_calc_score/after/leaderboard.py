import scoring


def rank(players):
    """players: dict name -> list of rounds. Returns (name, total) best first."""
    rows = []
    for name, rounds in players.items():
        total = sum(scoring.compute_score(r) for r in rounds)
        rows.append((name, total))
    rows.sort(key=lambda row: (-row[1], row[0]))
    return rows


def format_board(rows):
    lines = []
    for place, (name, total) in enumerate(rows, 1):
        lines.append(f"{place}. {name:<8} {total:>4}")
    return "\n".join(lines)
