import csv

totals = {}
sightings = 0
with open("birds.csv", newline="") as f:
    for row in csv.DictReader(f):
        sightings += 1
        totals[row["species"]] = totals.get(row["species"], 0) + int(row["count"])

print(f"Sightings: {sightings}")
print(f"Birds: {sum(totals.values())}")
print(f"Species: {len(totals)}")
if totals:
    top = sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
    print(f"Top species: {top}")
