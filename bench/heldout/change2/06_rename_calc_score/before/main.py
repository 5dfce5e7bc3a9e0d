from leaderboard import format_board, rank
from scoring import best_round, calc_score

PLAYERS = {
    "Mira": [[10, 9, 9], [8, 10, 7]],
    "Jonas": [[7, 7, 6], [10, 10, 9]],
    "Ruth": [[9, 9, 9], [9, 8, 9]],
}


def main():
    print(format_board(rank(PLAYERS)))
    print()
    for name, rounds in PLAYERS.items():
        first = calc_score(rounds[0])
        print(f"{name}: first round {first}, best round {best_round(rounds)}")


if __name__ == "__main__":
    main()
