"""Reading plants.txt."""


def parse_line(line):
    name, every, last = [part.strip() for part in line.split(",")]
    return {"name": name, "every": int(every), "last": int(last)}


def load_plants(path):
    plants = []
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#"):
                plants.append(parse_line(line))
    return plants
