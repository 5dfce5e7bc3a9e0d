QUESTIONS = [
    ("France", "Paris"),
    ("Japan", "Tokyo"),
    ("Canada", "Ottawa"),
    ("Australia", "Canberra"),
    ("Egypt", "Cairo"),
]


def main():
    asked = 0
    right = 0
    for country, capital in QUESTIONS:
        try:
            answer = input("What is the capital of %s? " % country)
        except EOFError:
            print()
            break
        answer = answer.strip()
        if answer.lower() == "quit":
            break
        asked += 1
        if answer.lower() == capital.lower():
            right += 1
            print("Correct!")
        else:
            print("Wrong! The answer is %s." % capital)
    print("Score: %d/%d" % (right, asked))
    if asked == len(QUESTIONS) and right == asked:
        print("Perfect score!")


if __name__ == "__main__":
    main()
