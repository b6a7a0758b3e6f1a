"""Benchmark data: a synthetic corpus and articles, generated fast and deterministically.

Sources come from two families of templates: the demo corpus (`seeds/sources/`) with its
names, numbers and dates swapped for generated ones (so a claim's search really finds
related, contradicting or supporting passages), and general-news sentences built from
generated names and a Zipf-weighted word list (the long tail that makes a real corpus).
Articles are the seed article with varied names, numbers and dates, so each is the
seed's size and its own content hash.

Bulk loading goes through COPY (psycopg 3), with the passage GIN index dropped during the
load and rebuilt after: building a GIN index once is far cheaper than updating it per row.
"""

from __future__ import annotations

import hashlib
import io
import random
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED_ARTICLE = ROOT / "seeds" / "north-korean-troops-disappear.txt"
DEMO_SOURCES = ROOT / "seeds" / "sources"

_SYL = "ka ro mi ta ven sol dar lin mar tor bel sha quin ru pel fen gor hal nis ost ver zan lu ki mo ba de".split()
_FIRST = (
    "Anna Boris Carla Dmitri Elena Farid Greta Hugo Ines Jonas Kira Lars Mira Nikolai Olga Pavel Rosa "
    "Sergei Tanya Umar Vera Wiktor Yusuf Zofia Amir Bianca Chen Dara Emil Fatima Goran Hana Ivan Jana"
).split()
_MONTHS = (
    "January February March April May June July August September October November December".split()
)
_NUMWORDS = "two three four five six seven eight nine".split()

# General-news vocabulary; sampled with Zipf weights so a few words are everywhere and
# most are rare, as in real text.
_TOPIC_WORDS = (
    "budget election parliament minister council tariff harvest drought flood wildfire vaccine hospital "
    "school teachers strike union pension inflation interest bank currency exports imports pipeline gas "
    "electricity grid solar wind turbine factory layoffs merger shares investors court ruling appeal "
    "prosecutor police arrest protest march rally border migrants asylum refugees embassy sanctions "
    "treaty summit talks ceasefire drone missile airport railway bridge highway port shipping container "
    "fishing quota glacier museum festival concert stadium league championship transfer coach referee "
    "satellite launch telescope vaccine outbreak virus clinic nurses doctors housing rent mortgage "
    "construction permit mayor governor senator coalition opposition referendum ballot turnout census "
    "survey poll unemployment wages productivity deficit surplus bonds rating audit fraud scandal "
    "resignation inquiry commission report regulator licence spectrum broadband cable outage storm "
    "earthquake aftershock evacuation shelter aid donors charity volunteers crops wheat maize rice "
    "coffee cocoa sugar cattle dairy fertiliser prices subsidy reform curriculum exam students campus "
    "research laboratory patent startup funding venture software hackers breach privacy data cloud"
).split()
_VERBS = "said announced confirmed denied warned estimated reported expected approved rejected postponed".split()

GENERIC_TEMPLATES = [
    "{person}, {role} of {place}, {verb} that {n} {word} {word2} projects would be reviewed by {month}.",
    "The {word} {word2} in {place} rose by {pct}% in {month} {year}, the {org} {verb}.",
    "About {n} people attended the {word} {word2} meeting in {place} on {day} {month}.",
    "{org} {verb} a plan to spend {money} million on {word} and {word2} over {nw} years.",
    "Officials in {place} {verb} the {word} {word2} dispute could last until {month} {year}.",
    "{person} told the {org} that {word} costs had doubled since {year}.",
    "Local reports said {n} {word} workers joined the {word2} action in {place}.",
    "The {org} {verb} {pct}% of {word} {word2} contracts in {place} were delayed.",
    "{person} of the {org} said the {word} {word2} review would finish within {nw} weeks.",
    "In {place}, the {word} {word2} programme reached {n} households by {month}.",
]

_ROLES = "mayor governor spokesperson director chair minister head president".split()
_ORG_SUFFIX = "Institute Agency Council Bureau Ministry Authority Federation Association Group Commission".split()


class Names:
    """Deterministic generated names: countries with adjectives, places, people, orgs."""

    def __init__(
        self, rng: random.Random, countries: int = 3000, places: int = 20000, people: int = 40000
    ):
        self.rng = rng
        self.countries = [self._country(i) for i in range(countries)]
        self.places = [self._word(rng.randint(2, 3)).capitalize() for _ in range(places)]
        self.people = [
            f"{rng.choice(_FIRST)} {self._word(rng.randint(2, 3)).capitalize()}"
            for _ in range(people)
        ]
        self.orgs = [
            f"{self._word(2).capitalize()} {rng.choice(_ORG_SUFFIX)}"
            for _ in range(max(1, places // 4))
        ]

    def _word(self, syllables: int) -> str:
        return "".join(self.rng.choice(_SYL) for _ in range(syllables))

    def _country(self, i: int) -> tuple[str, str]:
        stem = self._word(self.rng.randint(2, 3)).capitalize()
        return stem + "ia", stem + "ian"  # ("Verania", "Veranian")


_NAMES: Names | None = None


def shared_names() -> Names:
    global _NAMES
    if _NAMES is None:
        _NAMES = Names(random.Random(1))
    return _NAMES


def _zipf_words(rng: random.Random, k: int) -> list[str]:
    weights = [1.0 / (i + 1) for i in range(len(_TOPIC_WORDS))]
    return rng.choices(_TOPIC_WORDS, weights=weights, k=k)


def _fmt_n(n: int) -> str:
    return f"{n:,}"


def _demo_templates() -> list[str]:
    """Bodies of the demo sources (front matter stripped)."""
    bodies = []
    for path in sorted(DEMO_SOURCES.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        parts = text.split("---", 2)
        bodies.append(parts[2].strip() if len(parts) == 3 else text.strip())
    return bodies


# Demo-text names that become generated ones, longest first so "North Korean" wins
# over "North Korea".
def _swap_names(text: str, rng: random.Random, names: Names) -> str:
    (c1, a1), (c2, a2), (c3, a3) = (rng.choice(names.countries) for _ in range(3))
    place = rng.choice(names.places)
    person, person2 = rng.choice(names.people), rng.choice(names.people)
    swaps = [
        ("North Korean", a1),
        ("North Korea", c1),
        ("South Korea", c3),
        ("Russian", a2),
        ("Russia", c2),
        ("Ukrainian", a3),
        ("Ukraine", c3),
        ("Kursk", place),
        ("Oleksandr Syrskyi", person),
        ("Oleksandr Syrsky", person),
        ("Volodymyr Zelensky", person2),
        ("Oleksandr Kindratenko", person2),
    ]
    for old, new in swaps:
        text = text.replace(old, new)
    return text


_NUM = re.compile(r"\b\d{1,3}(?:,\d{3})+\b|\b\d+\b")


def _swap_numbers(text: str, rng: random.Random) -> str:
    def repl(m: re.Match) -> str:
        raw = m.group(0)
        value = int(raw.replace(",", ""))
        if 1900 <= value <= 2100:  # a year: keep it plausible
            return str(rng.randint(2019, 2026))
        new = max(1, int(value * rng.uniform(0.6, 1.4)))
        return _fmt_n(new) if "," in raw else str(new)

    return _NUM.sub(repl, text)


def generic_source(rng: random.Random, names: Names) -> str:
    sentences = []
    for _ in range(rng.randint(3, 5)):
        w = _zipf_words(rng, 2)
        sentences.append(
            rng.choice(GENERIC_TEMPLATES).format(
                person=rng.choice(names.people),
                role=rng.choice(_ROLES),
                place=rng.choice(names.places),
                org=rng.choice(names.orgs),
                verb=rng.choice(_VERBS),
                n=_fmt_n(rng.randint(3, 90000)),
                word=w[0],
                word2=w[1],
                month=rng.choice(_MONTHS),
                year=rng.randint(2019, 2026),
                day=rng.randint(1, 28),
                pct=rng.randint(2, 95),
                money=rng.randint(2, 900),
                nw=rng.choice(_NUMWORDS),
            )
        )
    # Paragraphs of one or two sentences, like the demo sources.
    paras, i = [], 0
    while i < len(sentences):
        take = rng.randint(1, 2)
        paras.append(" ".join(sentences[i : i + take]))
        i += take
    return "\n\n".join(paras)


def source_rows(count: int, *, seed: int, start_index: int = 0, demo_share: float = 0.1):
    """Yield (fields dict) for `count` sources: a share from demo templates, the rest general."""
    rng = random.Random(seed)
    names = shared_names()
    demos = _demo_templates()
    outlets = [f"{names._word(2).capitalize()} News" for _ in range(400)]
    base = datetime(2024, 6, 1, tzinfo=UTC)
    for i in range(start_index, start_index + count):
        if rng.random() < demo_share:
            body = _swap_numbers(_swap_names(rng.choice(demos), rng, names), rng)
        else:
            body = generic_source(rng, names)
        body += f"\n\n(Item {i}.)"  # every body distinct, so content hashes never collide
        yield {
            "title": body.split(".", 1)[0][:200],
            "outlet": rng.choice(outlets),
            "url": f"https://bench.invalid/{i}",
            "published_at": base + timedelta(minutes=7 * i),
            "body": body,
        }


def articles(count: int, *, seed: int) -> list[str]:
    """`count` distinct articles: the seed article with varied names, numbers and dates."""
    rng = random.Random(seed)
    names = shared_names()  # the corpus's names, so articles have related sources
    template = SEED_ARTICLE.read_text(encoding="utf-8")
    out, seen = [], set()
    base = datetime(2025, 1, 31)
    while len(out) < count:
        text = _swap_numbers(_swap_names(template, rng, names), rng)
        day = base + timedelta(days=rng.randint(-400, 200))
        # The dateline ("Jan.31 - 2025 9:25 AM CET") and the byline vary too.
        text = text.replace("Jan.31 - 2025", day.strftime("%b.%d - %Y"), 1)
        text = text.replace("January 30", f"{_MONTHS[(day.month - 2) % 12]} {rng.randint(1, 28)}")
        text = text.replace("Camilla Jessen", rng.choice(names.people))
        digest = hashlib.sha256(text.encode()).hexdigest()
        if digest in seen:
            continue
        seen.add(digest)
        out.append(text)
    return out


# --- bulk load ----------------------------------------------------------------------------


def _copy_text(value) -> str:
    if value is None:
        return r"\N"
    s = str(value)
    return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def load_sources(conn, count: int, *, seed: int, start_index: int = 0) -> int:
    """COPY `count` sources and their passages into the database on `conn` (psycopg 3).

    Passages are split with the product's own splitter, so the corpus is exactly what
    `workers.corpus.index_source` would have made; sources are marked indexed.
    """
    from analysis.corroboration import origin_key
    from analysis.passages import split_passages
    from claims.models import content_hash

    now = datetime.now(UTC)
    with conn.cursor() as cur:
        cur.execute("SELECT coalesce(max(id), 0) FROM claims_source")
        next_id = cur.fetchone()[0] + 1
    src_buf, pas_buf = io.StringIO(), io.StringIO()
    n_passages = 0
    for k, row in enumerate(source_rows(count, seed=seed, start_index=start_index)):
        sid = next_id + k
        body = row["body"]
        src_buf.write(
            "\t".join(
                _copy_text(v)
                for v in (
                    sid,
                    "source",
                    row["title"],
                    "",
                    row["outlet"],
                    row["url"],
                    row["url"],
                    row["published_at"].isoformat(),
                    body,
                    content_hash(body),
                    "[]",
                    origin_key(row["outlet"], []),
                    "",
                    now.isoformat(),
                    now.isoformat(),
                )
            )
            + "\n"
        )
        for pos, (s, e) in enumerate(split_passages(body)):
            pas_buf.write(f"{sid}\t{pos}\t{s}\t{e}\t{_copy_text(body[s:e])}\n")
            n_passages += 1
    with conn.cursor() as cur:
        with cur.copy(
            "COPY claims_source (id, kind, title, byline, outlet, url, canonical_url, published_at, body, "
            "content_hash, relays, origin, note, indexed_at, created_at) FROM STDIN"
        ) as cp:
            cp.write(src_buf.getvalue())
        with cur.copy(
            'COPY claims_passage (source_id, position, start, "end", text) FROM STDIN'
        ) as cp:
            cp.write(pas_buf.getvalue())
        cur.execute(
            "SELECT setval(pg_get_serial_sequence('claims_source', 'id'), (SELECT max(id) FROM claims_source))"
        )
    return n_passages
