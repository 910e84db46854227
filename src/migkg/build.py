"""Build: :class:`~migkg.model.Extraction` -> rdflib Graph. The only place IRIs are minted.

Each release gets a named graph of its own (:func:`release_graph_iri`) holding what it states, with
an evidence record (a reified statement with the sentence and character span) for every fact.
Shared reference data (every country with its codes and names, the dictionary's organizations
and regions) go in one reference graph (:func:`reference_graph`). IRI policy: ontology/README.md.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from datetime import UTC, datetime
from functools import cache, lru_cache

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from migkg import __version__
from migkg.model import Event, EventType, Extraction, Fact, Org, Programme, Relation, Release
from migkg.names import fold, slug
from migkg.reference import Dictionaries, TimedName
from migkg.vocab import DCTERMS, ID, MKG, PROV, RDF, SCHEMA, SKOS, SKOSXL, WD, XSD

Triple = tuple[Node, Node, Node]
Triples = set[Triple]  # a release graph's statements, without an rdflib Graph around them

REFERENCE_GRAPH = ID["graph/reference"]
ONTOLOGY_GRAPH = ID["graph/ontology"]
SERIES_ORDER_GRAPH = ID["graph/series-order"]  # previous/next links computed over the whole store
SOFTWARE = ID["agent/migkg-" + __version__]
EVENT_CLASSES = {t.value: MKG[t.value] for t in EventType}
_RELATION = {r.value: MKG[r.value] for r in Relation}


def _h(*parts: str, n: int = 12) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:n]


# ---------------------------------------------------------------- IRIs
def release_iri(key: str) -> URIRef:
    return ID["release/" + slug(key)]


def release_graph_iri(key: str) -> URIRef:
    return ID["graph/release/" + slug(key)]


def country_iri(iso2: str) -> URIRef:
    return ID["country/" + iso2.upper()]


def region_iri(region_id: str) -> URIRef:
    return ID["region/" + slug(region_id)]


def org_key(org: Org) -> str:
    if org.dict_id:
        return slug(org.dict_id)
    return (org.country.lower() + "-" if org.country else "") + slug(org.name)


def org_iri(org: Org) -> URIRef:
    return ID["organization/" + org_key(org)]


def dict_org_iri(org_id: str) -> URIRef:
    return ID["organization/" + slug(org_id)]


def programme_iri(p: Programme) -> URIRef:
    if p.dict_id:
        return ID["programme/" + slug(p.dict_id, 100)]
    english = next((t.text for t in p.titles if t.lang == "en"), None)
    return ID["programme/" + slug(english or p.title or p.acronym or "untitled", 100)]


def event_iri(event: Event, organizers: Iterable[str], place: str | None) -> URIRef:
    """Same type, start date and place (else organizers, else label) -> same event across releases."""
    who = (place or "") or ",".join(sorted(organizers)) or slug(event.label)
    return ID[f"event/{event.start or 'undated'}-{slug(event.type)}-{_h(who, n=8)}"]


def series_iri(label: str) -> URIRef:
    return ID["series/" + slug(label, 100)]


@cache
def _event_nouns() -> frozenset[str]:
    from migkg.languages import profiles

    return frozenset(fold(n) for p in profiles().values() for n in p.event_nouns)


def unnamed_series(label: str) -> bool:
    """True when a series is named only by its event noun ("the second meeting": series "meeting")."""
    return fold(label) in _event_nouns()


def unnamed_series_iri(noun: str, organizers: Iterable[str], participants_kind: str) -> URIRef:
    """A series the release does not name, recognised by who organizes it, its event noun and the kind
    of its participants: two releases of KIRS and IOM on their "second meeting" with local bodies meet
    on one series; another organizer's "second meeting" does not."""
    who = ",".join(sorted(set(organizers))) or "unknown"
    return ID[f"series/{slug(noun)}-{_h(who, participants_kind, n=8)}"]


def participants_kind(orgs: Iterable[Org], dicts: Dictionaries) -> str:
    """The prevailing kind of an event's participating organizations (the dictionary's kind of a known
    one, 'national' for a national body, else 'other'; the most frequent, ties by name; 'none')."""
    kinds = Counter(dicts.orgs[o.dict_id].kind if o.dict_id and o.dict_id in dicts.orgs
                    else "national" if o.country else "other" for o in orgs)
    return min(kinds, key=lambda k: (-kinds[k], k)) if kinds else "none"


def place_iri(name: str, iso2: str | None) -> URIRef:
    return ID["place/" + ((iso2.lower() + "-") if iso2 else "") + slug(name)]


def _date_literal(value: str) -> Literal:
    return Literal(value, datatype={4: XSD.gYear, 7: XSD.gYearMonth}.get(len(value), XSD.date))


_SCHEME = re.compile(r"https?://[^/?#\s]+.*", re.S)
_NOT_IN_IRI = frozenset('<>"{}|\\^`')


def is_safe_iri(value: str) -> bool:
    """True when ``value`` can stand as an IRI in every syntax (RFC 3987 characters only): no spaces,
    control, format (zero-width, bidi) or private-use characters and none of ``<>"{}|\\^` ``."""
    return all(c not in _NOT_IN_IRI and unicodedata.category(c)[0] not in "CZ" for c in value)


def _source(value: str) -> Node:
    """A release's source: an IRI when it is a well-formed http(s) IRI, else a plain literal."""
    return URIRef(value) if _SCHEME.fullmatch(value) and is_safe_iri(value) else Literal(value)


# ---------------------------------------------------------------- release graph
def _lang_tag(code: str) -> str:
    """A BCP 47 tag for a section language ('und' when unknown)."""
    return code if code and code != "und" else "en"


def build_graph(ex: Extraction, dicts: Dictionaries, generated_at: datetime | None = None) -> Graph:
    """The named graph of one release (:func:`build_triples` in an rdflib Graph)."""
    # SimpleMemory: a plain triple store without per-context bookkeeping (1.5x faster to fill).
    g = Graph(store="SimpleMemory", identifier=release_graph_iri(ex.release.key))
    for t in build_triples(ex, dicts, generated_at):
        g.add(t)
    return g


def build_triples(ex: Extraction, dicts: Dictionaries, generated_at: datetime | None = None) -> Triples:
    """The statements of one release's named graph, with provenance and evidence, as a set of triples.

    The build pipeline only validates and serializes them, so it takes them without an rdflib Graph:
    a set holds the same statements (each once) and fills three times faster (bench/README.md)."""
    r = ex.release
    g: Triples = set()
    rel = release_iri(r.key)
    lang = r.sections[0].lang if r.sections and r.sections[0].lang != "und" else None
    g.add((rel, RDF.type, MKG.Release))
    g.add((rel, DCTERMS.title, Literal(r.title, lang=_tag(lang))))
    if r.published:
        g.add((rel, DCTERMS.issued, Literal(r.published.isoformat(), datatype=XSD.date)))
    elif r.published_month:  # only the month is known
        g.add((rel, DCTERMS.issued, Literal(r.published_month, datatype=XSD.gYearMonth)))
    g.add((rel, DCTERMS.source, _source(r.source)))
    for s in r.sections:
        g.add((rel, MKG.language, Literal(s.lang)))
    g.add((rel, MKG.contentHash, Literal(content_hash(r))))
    run = ID["run/" + _h(r.key, r.content_hash, __version__, n=16)]
    g.add((rel, PROV.wasGeneratedBy, run))
    g.add((run, RDF.type, MKG.ExtractionRun))
    g.add((run, PROV.used, _source(r.source)))
    g.add((run, PROV.wasAssociatedWith, SOFTWARE))
    g.add((SOFTWARE, RDF.type, PROV.SoftwareAgent))
    g.add((SOFTWARE, SKOS.prefLabel, Literal(f"migkg {__version__}", lang="en")))
    when = generated_at or datetime.now(UTC)
    g.add((rel, PROV.generatedAtTime, Literal(when.replace(microsecond=0).isoformat(), datatype=XSD.dateTime)))

    mentions = MKG.mentions

    def mention(node: URIRef) -> None:
        g.add((rel, mentions, node))

    orgs = {o.ref: o for o in ex.organizations}
    refs: dict[str, URIRef] = {}
    for o in ex.organizations:
        node = org_iri(o)
        refs[o.ref] = node
        g.add((node, RDF.type, MKG.Organization))
        # a known organization's preferred label is its English name; the release's own wording keeps
        # the language of the section it was written in
        g.add((node, SKOS.prefLabel, Literal(o.name, lang="en" if o.dict_id else _lang_tag(o.lang))))
        for alias in o.aliases:  # the name as this release writes it, when it differs
            g.add((node, SKOS.altLabel, Literal(alias, lang=_lang_tag(o.lang))))
        if o.acronym:
            g.add((node, MKG.acronym, Literal(o.acronym)))
        if o.country:
            g.add((node, MKG.country, country_iri(o.country)))
            _country_stub(g, dicts, o.country)
            mention(country_iri(o.country))
            _evidence(g, r, rel, MKG.mentions, country_iri(o.country), o.evidence)
        mention(node)
        _evidence(g, r, rel, MKG.mentions, node, o.evidence)  # so `explain` traces every node a release names
    told = {c.iso2 for c in ex.countries}
    for c in ex.countries:
        node = country_iri(c.iso2)
        _country_stub(g, dicts, c.iso2)
        mention(node)
        _evidence(g, r, rel, MKG.mentions, node, c.evidence)
        if c.qualification:
            m = ID[f"mention/{slug(r.key)}-{c.iso2.lower()}"]
            g.add((m, RDF.type, MKG.Mention))
            g.add((m, MKG.inRelease, rel))
            g.add((m, MKG.denotes, node))
            g.add((m, MKG.surfaceForm, Literal(c.surface)))
            g.add((m, MKG.qualification, Literal(c.qualification, lang=_tag(lang_of(r, c.evidence)))))
    for p in ex.programmes:
        node = programme_iri(p)
        refs[p.ref] = node
        g.add((node, RDF.type, MKG.Programme))
        titled: set[str | None] = set()
        for t in p.titles:  # one title per language (S07); a second one is an alternative label
            pred = SKOS.altLabel if _tag(t.lang) in titled else DCTERMS.title
            g.add((node, pred, Literal(t.text, lang=_tag(t.lang))))
            titled.add(_tag(t.lang))
        for t in p.aliases:
            g.add((node, SKOS.altLabel, Literal(t.text, lang=_tag(t.lang))))
        if p.acronym:
            g.add((node, MKG.acronym, Literal(p.acronym)))
        if p.region and p.region in dicts.regions:
            g.add((node, MKG.region, region_iri(p.region)))
        mention(node)
        _evidence(g, r, rel, MKG.mentions, node, p.evidence)
    by_subject: dict[str, list[str]] = {}
    for f in ex.facts:
        if f.relation == "organizer":
            by_subject.setdefault(f.subject, []).append(org_key(orgs[f.object]))
    taken: dict[URIRef, str] = {}
    for e in ex.events:
        place = place_iri(e.location, e.location_country) if e.location else None
        node = event_iri(e, by_subject.get(e.ref, []), str(place) if place else None)
        if taken.setdefault(node, e.label) != e.label:  # two events of one release on one key: the label parts them
            node = URIRef(f"{node}-{_h(slug(e.label), n=6)}")
            taken[node] = e.label
        refs[e.ref] = node
        g.add((node, RDF.type, EVENT_CLASSES.get(e.type, MKG.Other)))
        label_lang = _tag(lang_of(r, e.evidence)) or "en"  # the language of the sentence it was read from
        g.add((node, SKOS.prefLabel, Literal(e.label, lang=label_lang)))
        if e.start:
            g.add((node, MKG.startDate, _date_literal(e.start)))
        if e.end:
            g.add((node, MKG.endDate, _date_literal(e.end)))
        if e.ordinal is not None:
            g.add((node, MKG.ordinal, Literal(e.ordinal, datatype=XSD.integer)))
        if e.series:
            series_label = e.series
            if unnamed_series(e.series):
                organizers = by_subject.get(e.ref, [])
                taking_part = [orgs[f.object] for f in ex.facts
                               if f.subject == e.ref and f.relation == "participant" and f.object in orgs]
                s = unnamed_series_iri(e.series, organizers, participants_kind(taking_part, dicts))
                names = sorted({orgs[f.object].acronym or orgs[f.object].name for f in ex.facts
                                if f.subject == e.ref and f.relation == "organizer" and f.object in orgs})
                if names:
                    series_label = f"{e.series} ({', '.join(names)})"
            else:
                s = series_iri(e.series)
            g.add((node, MKG.inSeries, s))
            _evidence(g, r, node, MKG.inSeries, s, e.evidence)
            g.add((s, RDF.type, MKG.EventSeries))
            named = any(isinstance(o, Literal) and o.language == label_lang
                        for x, p_, o in g if x == s and p_ == SKOS.prefLabel)
            g.add((s, SKOS.altLabel if named and (s, SKOS.prefLabel, Literal(series_label, lang=label_lang)) not in g
                   else SKOS.prefLabel, Literal(series_label, lang=label_lang)))  # one label per language (S06)
        if place is not None and e.location:
            g.add((node, MKG.location, place))
            _evidence(g, r, node, MKG.location, place, e.evidence)
            g.add((place, RDF.type, MKG.Place))
            g.add((place, SKOS.prefLabel, Literal(e.location)))
            if e.location_country:
                g.add((place, MKG.country, country_iri(e.location_country)))
                _country_stub(g, dicts, e.location_country)
                if e.location_country in told:  # "in Valletta" places the event; the release names no Malta
                    mention(country_iri(e.location_country))
        for t in e.topics:
            g.add((node, MKG.topic, Literal(t, lang="en")))
        mention(node)
        _evidence(g, r, node, SKOS.prefLabel, Literal(e.label, lang=label_lang), e.evidence)
    for f in ex.facts:
        s = refs.get(f.subject)
        o = country_iri(f.object) if f.relation == "participantCountry" else refs.get(f.object)
        if s is None or o is None:
            continue
        if f.relation == "participantCountry":
            _country_stub(g, dicts, f.object)
            mention(o)
        g.add((s, _RELATION[f.relation], o))
        _evidence(g, r, s, _RELATION[f.relation], o, f.evidence)
        if f.relation == "funder":
            _funding(g, s, o, f)
    return _portable(g)


# Characters no XML 1.0 document can hold (RDF/XML, and so every export format, must carry each literal).
_NOT_PORTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _portable(g: Triples) -> Triples:
    """Drop from literals the characters that some RDF syntax cannot carry (NUL and other C0 controls,
    lone surrogates, U+FFFE/U+FFFF) and turn CR line ends into LF, so that every export re-parses to
    the same graph. Text read by ingest never holds them; a hand-made or hostile extraction may."""
    bad = [(s, p, o) for s, p, o in g if isinstance(o, Literal) and (_NOT_PORTABLE.search(o) or "\r" in o)]
    for s, p, o in bad:
        assert isinstance(o, Literal)
        text = _NOT_PORTABLE.sub("", str(o).replace("\r\n", "\n").replace("\r", "\n"))
        g.discard((s, p, o))
        g.add((s, p, Literal(text, lang=o.language, datatype=o.datatype)))
    return g


def lang_of(r: Release, span: object) -> str | None:
    start = getattr(span, "start", None)
    if start is None:
        return r.sections[0].lang if r.sections else None
    for s in r.sections:
        if s.start <= start <= s.start + len(s.text):
            return s.lang
    return None


def _tag(lang: str | None) -> str | None:
    return None if not lang or lang == "und" else lang


def funding_iri(funded: URIRef, funder: URIRef) -> URIRef:
    """One funder's funding of one thing: keyed by both, so releases that report it converge."""
    return ID["funding/" + hashlib.sha256(f"{funded} {funder}".encode()).hexdigest()[:16]]


def _funding(g: Triples, funded: URIRef, funder: URIRef, f: Fact) -> None:
    """The n-ary form of a funder relation (mkg:Funding), with its sum when the release gives one."""
    node = funding_iri(funded, funder)
    g.add((node, RDF.type, MKG.Funding))
    g.add((node, MKG.fundedBy, funder))
    g.add((node, MKG.funds, funded))
    if f.amount is not None and f.currency:
        amount = URIRef(str(node) + "/amount")
        g.add((node, MKG.amount, amount))
        g.add((amount, RDF.type, SCHEMA.MonetaryAmount))
        g.add((amount, SCHEMA.value, Literal(f.amount, datatype=XSD.decimal)))
        g.add((amount, SCHEMA.currency, Literal(f.currency)))


def _country_stub(g: Triples, dicts: Dictionaries, iso2: str) -> None:
    g.update(_country_triples(iso2, dicts.country_label(iso2)))


@lru_cache(maxsize=1024)
def _country_triples(iso2: str, label: str) -> tuple[Triple, ...]:
    node = country_iri(iso2)
    return ((node, RDF.type, MKG.Country), (node, MKG.iso2, Literal(iso2)),
            (node, SKOS.prefLabel, Literal(label, lang="en")))


# The terms of an evidence record, looked up once: an attribute of an rdflib DefinedNamespace costs a
# function call, and a release writes a few hundred of them.
_A, _EVIDENCE, _IN_RELEASE, _QUOTE = RDF.type, MKG.Evidence, MKG.inRelease, MKG.quote
_SUBJECT, _PREDICATE, _OBJECT, _START, _END = RDF.subject, RDF.predicate, RDF.object, MKG.charStart, MKG.charEnd


@lru_cache(maxsize=4096)
def _integer(n: int) -> Literal:
    """An xsd:integer literal (character offsets recur; an rdflib Literal takes microseconds to make)."""
    return Literal(n, datatype=XSD.integer)


@lru_cache(maxsize=256)
def _text(value: str) -> Literal:
    """A plain literal (a sentence is quoted by every evidence record read from it)."""
    return Literal(value)


def _evidence(g: Triples, r: Release, s: Node, p: URIRef, o: Node, span: object) -> None:
    if span is None:
        return
    node = ID["evidence/" + _h(r.key, str(s), str(p), str(o), n=20)]
    if (node, _A, _EVIDENCE) in g:
        return  # a fact read twice keeps its first evidence (S10: one quote, one span)
    g.update(((node, _A, _EVIDENCE), (node, _SUBJECT, s), (node, _PREDICATE, p), (node, _OBJECT, o),
              (node, _IN_RELEASE, release_iri(r.key)),
              (node, _QUOTE, _text(span.sentence)),  # type: ignore[attr-defined]
              (node, _START, _integer(span.start)),  # type: ignore[attr-defined]
              (node, _END, _integer(span.end))))  # type: ignore[attr-defined]


def content_hash(r: Release) -> str:
    """What decides whether a stored release graph is still current: its text and our version."""
    return stored_hash(r.key, r.content_hash)


def stored_hash(key: str, raw_hash: str) -> str:
    """:func:`content_hash` from a release's key and the digest of its file's bytes."""
    return _h(raw_hash, key, __version__, n=64)


# ---------------------------------------------------------------- reference graph
_LANG_TAGS = {"sr-Cyrl": "sr-Cyrl", "sr": "sr-Latn"}


def reference_graph(dicts: Dictionaries) -> Graph:
    """Countries (codes, names in several languages, Wikidata and GeoNames links), the dictionary's
    organizations (names, acronyms, parents, Wikidata and IATI identifiers) and regions."""
    g = Graph(identifier=REFERENCE_GRAPH)
    for c in dicts.countries.values():
        node = country_iri(c.iso2)
        g.add((node, RDF.type, MKG.Country))
        g.add((node, MKG.iso2, Literal(c.iso2)))
        if c.iso3:
            g.add((node, MKG.iso3, Literal(c.iso3)))
        if c.numeric:
            g.add((node, MKG.isoNumeric, Literal(c.numeric)))
        g.add((node, SKOS.prefLabel, Literal(c.name, lang="en")))
        if c.wikidata:
            g.add((node, SKOS.exactMatch, WD[c.wikidata]))
        if c.geonames:
            g.add((node, SKOS.exactMatch, URIRef(f"https://sws.geonames.org/{c.geonames}/")))
        for lang, forms in dicts.country_names.get(c.iso2, {}).items():
            tag = _LANG_TAGS.get(lang, lang)
            for kind, text in forms:
                if kind == "name" and lang != "en":
                    g.add((node, SKOS.prefLabel, Literal(text, lang=tag)))
                elif kind in ("official", "alias", "name") and not (lang == "en" and text == c.name):
                    g.add((node, SKOS.altLabel, Literal(text, lang=tag)))
    for rg in dicts.regions.values():
        node = region_iri(rg.id)
        g.add((node, RDF.type, MKG.Region))
        seen: set[str] = set()
        for lang, name in rg.names:
            pred = SKOS.prefLabel if lang not in seen else SKOS.altLabel
            seen.add(lang)
            g.add((node, pred, Literal(name, lang=lang)))
        for iso2 in rg.members:
            if iso2 in dicts.countries:
                g.add((country_iri(iso2), MKG.inRegion, node))
    for o in dicts.orgs.values():
        node = dict_org_iri(o.id)
        g.add((node, RDF.type, MKG.Organization))
        g.add((node, SKOS.prefLabel, Literal(o.name, lang="en")))
        if o.acronym:
            g.add((node, MKG.acronym, Literal(o.acronym)))
        for lang, forms in o.aliases.items():
            for form in forms:
                g.add((node, SKOS.altLabel, Literal(form, lang=_LANG_TAGS.get(lang, lang))))
        if o.country and o.country in dicts.countries:
            g.add((node, MKG.country, country_iri(o.country)))
        if o.parent and o.parent in dicts.orgs:
            g.add((node, MKG.subOrganizationOf, dict_org_iri(o.parent)))
        if o.wikidata:
            g.add((node, SKOS.exactMatch, WD[o.wikidata]))
        if o.iati:
            g.add((node, MKG.iatiIdentifier, Literal(o.iati)))
    for (kind, key), names in dicts.renamings.items():
        thing = country_iri(key) if kind == "country" else dict_org_iri(key)
        for t in names:
            _timed_name(g, thing, t)
    return g


def timed_name_iri(t: TimedName) -> URIRef:
    return ID[f"name/{t.kind}-{slug(t.key)}-{slug(t.name)}-{t.lang.lower()}"]


def _timed_name(g: Graph, thing: URIRef, t: TimedName) -> None:
    """A name in force over dates, as a SKOS-XL label of its own (ontology/README.md, *Names in time*);
    a former name is also a plain alternative label, so a SPARQL user finds the thing by it."""
    node = timed_name_iri(t)
    g.add((thing, SKOSXL.prefLabel if t.current else SKOSXL.altLabel, node))
    g.add((node, RDF.type, MKG.TimedName))
    g.add((node, SKOSXL.literalForm, Literal(t.name, lang=t.lang)))
    if t.acronym:
        g.add((node, MKG.acronym, Literal(t.acronym)))
    if t.valid_from:
        g.add((node, SCHEMA.validFrom, Literal(t.valid_from, datatype=XSD.date)))
    if t.valid_through:
        g.add((node, SCHEMA.validThrough, Literal(t.valid_through, datatype=XSD.date)))
    g.add((node, DCTERMS.source, Literal(t.source, lang="en")))
    if not t.current and (thing, SKOS.prefLabel, Literal(t.name, lang=t.lang)) not in g:
        g.add((thing, SKOS.altLabel, Literal(t.name, lang=t.lang)))


def ontology_graph() -> Graph:
    """The ontology itself, stored alongside the data so that SPARQL users see class labels."""
    from migkg.resources import resource

    g = Graph(identifier=ONTOLOGY_GRAPH)
    g.parse(resource("ontology", "migkg.ttl"), format="turtle")
    return g


__all__ = ["build_graph", "build_triples", "reference_graph", "ontology_graph", "release_iri", "release_graph_iri",
           "REFERENCE_GRAPH", "ONTOLOGY_GRAPH", "content_hash"]
