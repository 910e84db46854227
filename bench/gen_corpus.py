"""Generate a synthetic corpus of N press releases for the benchmarks (deterministic for a seed).

Names come from data/dictionaries (organizations, countries); phrasings from bench/templates.json,
varied like the releases in data/releases. Files go in subfolders of 1,000::

    python bench/gen_corpus.py 10000 --out /tmp/corpus-10k --seed 1
"""

from __future__ import annotations

import argparse
import csv
import json
import random
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DICTS = ROOT / "data" / "dictionaries"
TEMPLATES = Path(__file__).resolve().parent / "templates.json"
ORDINALS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"]


def _load() -> tuple[dict, dict[str, str], list[dict]]:
    t = json.loads(TEMPLATES.read_text(encoding="utf-8"))
    with (DICTS / "countries.tsv").open(encoding="utf-8") as fh:
        names = {r["iso2"]: r["name"] for r in csv.DictReader(fh, delimiter="\t")}
    orgs = json.loads((DICTS / "organizations.json").read_text(encoding="utf-8"))
    return t, names, orgs


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _long_date(d: date) -> str:
    return f"{d.day} {d.strftime('%B')} {d.year}"


class Generator:
    """Makes one release text at a time from a seeded random source."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.t, self.names, orgs = _load()
        with_acr = [o for o in orgs if o.get("acronym") and not o.get("country")]
        self.organizers = [o for o in with_acr if o["kind"] in self.t["organizer_kinds"]]
        self.funders = [o for o in orgs if o["kind"] in self.t["funder_kinds"] and not o.get("parent")]
        self.cities = self.t["cities"]
        # a fixed catalogue of programmes, each with its own funder and implementer, as in real releases
        self.programmes = []
        for head in self.t["programme_heads"]:
            for tail in self.t["programme_tails"]:
                for where in self.t["programme_regions"]:
                    impl = self.rng.choice(self.organizers)
                    self.programmes.append((f"{head} {tail} {where}", self.rng.choice(self.funders), impl))

    def release(self, i: int) -> tuple[str, str]:
        """(file stem, text) of release number ``i``."""
        r, t = self.rng, self.t
        org, org2 = r.sample(self.organizers, 2)
        iso = r.choice(list(self.cities))
        city = r.choice(self.cities[iso])
        day = date(2015, 1, 1) + timedelta(days=r.randrange(3650))
        noun, _ = r.choice(t["event_kinds"])
        pool = r.choice(t["participant_pools"])
        countries = [self.names[c] for c in r.sample(pool, r.randint(2, len(pool)))]
        topics = r.sample(t["topics"], 2)
        fill = {"org": org["name"], "acr": org["acronym"], "org2": org2["name"], "acr2": org2["acronym"],
                "city": city, "country": self.names[iso], "date": _long_date(day), "noun": noun,
                "countries": _join(countries), "topic": topics[0], "topic2": topics[1],
                "ordinal": (r.choice(ORDINALS) + " ") if r.random() < 0.2 else ""}
        if r.random() < 0.15:
            fill["series"] = r.choice(t["series"])
            fill["ordinal"] = r.choice(ORDINALS)
            opening = r.choice(t["series_openings"]).format(**fill)
            title = f"{fill['ordinal'].capitalize()} meeting of the {fill['series']} held in {city}"
        else:
            opening = r.choice(t["openings"]).format(**fill)
            title = f"{org['acronym']} {noun} in {city} on {topics[0]}"
        paras = [opening + " " + r.choice(t["participants"]).format(**fill)]
        paras += [" ".join(r.choice(t["fillers"]).format(**fill) for _ in range(r.randint(2, 3)))
                  for _ in range(r.randint(2, 4))]
        if r.random() < 0.7:
            prog, funder, impl = r.choice(self.programmes)
            pacr = "".join(w[0] for w in prog.replace("-", " ").split() if w[0].isupper())
            line = r.choice(t["funding"])
            paras.append(line.format(programme=prog, pacr=pacr, funder=funder["name"], impl=impl["name"],
                                     iacr=impl["acronym"], **fill))
        paras.append(r.choice(t["closings"]))
        published = day + timedelta(days=r.randint(0, 3))
        when = f"{published.strftime('%A, %B')} {published.day}, {published.year}"
        header = f"{title}\n\nDate Publish:\n{when}\n\n"
        return f"bench-{i:06d}-{iso.lower()}-{slug_word(noun)}", header + "\n\n".join(paras) + "\n"


def slug_word(s: str) -> str:
    return "-".join(s.lower().split())


def generate(n: int, out: Path, seed: int = 1) -> int:
    """Write ``n`` releases under ``out``; returns the number of bytes written."""
    gen = Generator(seed)
    size = 0
    for i in range(n):
        stem, text = gen.release(i)
        folder = out / f"{i // 1000:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        data = text.encode("utf-8")
        (folder / f"{stem}.txt").write_bytes(data)
        size += len(data)
    return size


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int, help="number of releases")
    ap.add_argument("--out", type=Path, required=True, help="folder to write (created)")
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    size = generate(a.n, a.out, a.seed)
    print(f"wrote {a.n} releases ({size / a.n:.0f} bytes each on average) to {a.out}")


if __name__ == "__main__":
    main()
