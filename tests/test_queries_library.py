"""The named query library (``queries/``): every file is documented and runs, and the general
queries of ``queries/library/`` give answers true to the book.

Expected answers are facts of the novel (or of the book's structure: 23 chapters in three parts),
written here by hand; none is computed with the code under test.
"""

from __future__ import annotations

import json
import re

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS

from graph import sparql
from graph.cli import main
from graph.namespaces import ID, NLMG

LIBRARY = "library/"
ALL_QUERIES = sparql.named_queries()
OURS = {name: q for name, q in ALL_QUERIES.items() if name.startswith(("library/", "competency/"))}


def run(store, name: str) -> sparql.QueryResult:
    return sparql.run(store, sparql.find_query(LIBRARY + name).text)


def iri(slug: str) -> ox.NamedNode:
    return ox.NamedNode(str(ID[slug]))


# --- every query of the library ---------------------------------------------------------------


def test_the_library_has_its_competency_questions_and_general_queries():
    assert sum(name.startswith("competency/") for name in ALL_QUERIES) >= 40
    assert sum(name.startswith("library/") for name in ALL_QUERIES) >= 30


def test_short_names_are_unique_so_the_cli_finds_each_by_its_last_part():
    short = [name.rsplit("/", 1)[-1] for name in OURS]
    assert len(short) == len(set(short)), sorted({s for s in short if short.count(s) > 1})


@pytest.mark.parametrize("name", sorted(ALL_QUERIES))
def test_every_query_is_documented(name):
    query = ALL_QUERIES[name]
    assert re.search(r"^#\s*title:\s*\S", query.text, re.MULTILINE), f"{name} has no '# title:' line"
    assert re.search(r"^#\s*description:\s*\S", query.text, re.MULTILINE), f"{name} has no '# description:' line"
    assert query.title and query.description


@pytest.mark.parametrize("name", sorted(ALL_QUERIES))
def test_every_query_runs_on_the_whole_graph_and_as_of_chapter_9(name, store, store_as_of):
    for target in (store, store_as_of(9)):
        result = sparql.run(target, ALL_QUERIES[name].text)
        assert result.kind in ("SELECT", "ASK", "CONSTRUCT")


@pytest.mark.parametrize("name", sorted(OURS))
def test_our_queries_declare_their_prefixes(name):
    """Run with no predeclared prefixes, as any SPARQL tool would."""
    ox.Store().query(OURS[name].text)


# --- the general queries, checked against the book -----------------------------------------


def test_carers(store):
    records = run(store, "carers").records()
    assert {(r["carer"], r["donor"]) for r in records} == {
        ("Kathy H.", "Ruth"),
        ("Kathy H.", "Tommy D."),
        ("Kathy H.", "the donor who wanted to hear about Hailsham"),
    }
    assert {r["phases"] for r in records} == {"the carer years"}


def test_everything_at_hailsham_includes_places_inside_it(store):
    events = set(run(store, "at-hailsham").values("event"))
    assert {":e07-miss-lucy-tells-the-students", ":e06-kathy-dances-madame-weeps", ":e01-tommy-tantrum"} <= events  # pavilion, dormitory, field
    assert not events & {":e13-chrissie-tells-the-deferral-rumour", ":e21-inside-madames-house", ":e19-seeing-the-boat"}


def test_relationships_as_of_chapter_9(store_as_of):
    records = run(store_as_of(9), "relationships").records()
    triples = {(r["source"], r["type"], r["target"]) for r in records}
    assert ("Ruth", "couple", "Tommy D.") in triples
    assert ("Kathy H.", "couple", "Tommy D.") not in triples  # they become lovers in chapter 20
    assert not any("Chrissie" in (r["source"], r["target"]) for r in records)  # she appears in chapter 10
    assert all(int(r["first_chapter"]) <= 9 for r in records)


def test_relationships_at_the_end(store):
    triples = {(r["source"], r["type"], r["target"]) for r in run(store, "relationships").records()}
    assert {("Kathy H.", "couple", "Tommy D."), ("Kathy H.", "carer of", "Ruth"), ("Chrissie", "couple", "Rodney")} <= triples


def test_beliefs_and_when_they_are_overturned(store, store_as_of):
    def deferrals(target):
        return [r for r in run(target, "beliefs").records() if r["belief"] == ":belief-deferrals"]

    assert [r["overturned_in"] for r in deferrals(store)] == ["22"]
    assert [r["overturned_in"] for r in deferrals(store_as_of(21))] == [None]  # still believed after chapter 21
    assert deferrals(store_as_of(12)) == []  # the rumour is first heard in chapter 13


def test_story_order_and_discourse_order_differ(store):
    story = run(store, "story-order").values("event")
    told = run(store, "discourse-order").values("event")
    # Tommy's search for the tape at Hailsham happens years before the Cottages but is told in chapter 15.
    assert story.index(":e15-tommy-looked-for-the-tape-at-hailsham") < story.index(":e10-arrival-at-the-cottages")
    assert told.index(":e15-tommy-looked-for-the-tape-at-hailsham") > told.index(":e10-arrival-at-the-cottages")
    assert told[0] == ":e01-kathy-introduces-herself"  # "My name is Kathy H."
    assert run(store, "story-order").records()[0]["story_phase"] == "0"  # Hailsham's beginnings, before Kathy's time


def test_first_appearances(store):
    first = {r["name"]: (r["chapter"], r["part"]) for r in run(store, "first-appearances").records()}
    for name in ("Kathy H.", "Ruth", "Tommy D."):
        assert first[name] == ("1", "Part One")
    for name in ("Keffers", "Chrissie", "Rodney"):
        assert first[name] == ("10", "Part Two")
    assert first["James Morningdale"] == ("22", "Part Three")


def test_places_of_part_two(store):
    places = set(run(store, "places-of-part-two").values("place"))
    assert {":the-cottages", ":cromer-art-gallery", ":cottages-churchyard", ":cromer-second-hand-shops"} <= places
    assert not places & {":madames-house", ":kingsfield-recovery-centre", ":stranded-boat", ":field-on-the-drive-back"}


def test_events_per_chapter_covers_the_23_chapters(store, store_as_of):
    assert run(store, "events-per-chapter").values("chapter") == [str(n) for n in range(1, 24)]
    assert run(store_as_of(9), "events-per-chapter").values("chapter") == [str(n) for n in range(1, 10)]


def test_kathys_relationships_over_time(store, store_as_of):
    rows = {(r["phase"], r["type"], r["other"]) for r in run(store, "character-relationships").records()}
    assert {
        ("early Hailsham years", "close friendship", "Ruth"),
        ("the Cottages", "couple", "Lenny"),
        ("the carer years", "carer of", "Ruth"),
        ("the carer years", "couple", "Tommy D."),
    } <= rows
    early = {(r["phase"], r["type"], r["other"]) for r in run(store_as_of(9), "character-relationships").records()}
    assert ("the carer years", "couple", "Tommy D.") not in early


def test_coparticipants(store):
    pairs = {frozenset((r["one"], r["other"])) for r in run(store, "coparticipants").records()}
    assert frozenset(("Kathy H.", "Ruth")) in pairs
    assert frozenset(("Kathy H.", "Keffers")) in pairs
    assert frozenset(("Keffers", "Madame")) not in pairs  # they never share a scene


def test_event_participants_of_the_pavilion_speech(store):
    rows = [r for r in run(store, "event-participants").records() if r["event"] == ":e07-miss-lucy-tells-the-students"]
    assert ("Miss Lucy", "speaker") in {(r["participant"], r["role"]) for r in rows}
    assert {r["chapter"] for r in rows} == {"7"}


def test_kathys_tape_across_the_book(store):
    chapters = {r["chapter"] for r in run(store, "objects-and-events").records() if r["thing"] == ":kathys-tape"}
    assert {"6", "15", "22"} <= chapters  # lost at Hailsham, found again in Norfolk, explained by Madame


def test_themes_and_events(store):
    themes = set(run(store, "themes-and-events").values("name"))
    assert {"memory", "love", "mortality", "friendship"} <= themes


def test_relationship_graph_construct(graph, store, store_as_of):
    result = run(store, "relationship-graph")
    assert result.kind == "CONSTRUCT"
    triples = set(result.triples)
    carer, partner = ox.NamedNode(str(NLMG.carerOf)), ox.NamedNode(str(NLMG.romanticPartnerOf))
    assert ox.Triple(iri("kathy-h"), carer, iri("ruth")) in triples
    assert ox.Triple(iri("ruth"), partner, iri("tommy-d")) in triples
    assert ox.Triple(iri("tommy-d"), partner, iri("ruth")) in triples  # symmetric
    assert all((URIRef(t.subject.value), RDF.type, NLMG.Character) in graph for t in triples)  # only characters
    before = set(run(store_as_of(19), "relationship-graph").triples)
    assert ox.Triple(iri("kathy-h"), partner, iri("tommy-d")) not in before


def test_describe_kathy(store):
    result = run(store, "describe-character")
    named = {t.subject for t in result.triples if isinstance(t.subject, ox.NamedNode)}
    assert named == {iri("kathy-h")}  # blank subjects are her evidence: the prov:Derivation nodes she cites
    a_derivation = (ox.NamedNode(str(RDF.type)), ox.NamedNode("http://www.w3.org/ns/prov#Derivation"))
    blanks = {t.subject for t in result.triples if not isinstance(t.subject, ox.NamedNode)}
    assert all(ox.Triple(b, *a_derivation) in set(result.triples) for b in blanks)
    assert ox.Triple(iri("kathy-h"), ox.NamedNode(str(SKOS.prefLabel)), ox.Literal("Kathy H.", language="en")) in set(result.triples)


def test_counts_by_type(store):
    counts = {r["class"]: int(r["count"]) for r in run(store, "counts-by-type").records()}
    assert counts["nlmg:Chapter"] == 23
    assert counts["nlmg:Part"] == 3
    assert counts["wd:Q15632617"] >= counts["nlmg:Character"]  # every character is a fictional human
    assert "schema:Person" not in counts or counts["schema:Person"] == 1  # only the author is a real person


def test_fates(store):
    assert {r["character"]: r["chapter"] for r in run(store, "fates").records()} == {"Chrissie": "19", "Ruth": "19", "Tommy D.": "23"}


def test_donations(store):
    assert {(r["donor"], r["chapter"]) for r in run(store, "donations").records()} == {("Ruth", "18")}


def test_late_reveals(store, store_as_of):
    def madames_names(target):
        return {r["object"] for r in run(target, "late-reveals").records() if r["subject"] == ":madame" and r["predicate"] == "skos:altLabel"}

    assert madames_names(store) == {"Marie-Claude"}
    assert madames_names(store_as_of(20)) == set()


def test_characters_by_group(store):
    members: dict[str, set[str]] = {}
    for r in run(store, "characters-by-group").records():
        members.setdefault(r["group"], set()).add(r["character"])
    assert {"Kathy H.", "Ruth", "Tommy D."} <= members["Hailsham student"]
    assert {"Miss Emily", "Miss Lucy", "Miss Geraldine"} <= members["guardian"]
    assert {"Chrissie", "Rodney", "Lenny"} <= members["veteran at the Cottages"]
    assert {"Madame", "Keffers", "Judy Bridgewater"} <= members["outsider"]
    assert {"Ruth", "Tommy D."} <= members["donor"] and "Kathy H." not in members["donor"]
    assert "Kathy H." in members["carer"]


def test_place_hierarchy(store):
    rows = {(r["place"], r["within"]): r["steps"] for r in run(store, "place-hierarchy").records()}
    assert rows[("Cromer", "Norfolk")] == "1"
    assert rows[("Madame's house", "Littlehampton")] == "1"
    assert rows[("the sports pavilion", "Hailsham")] == "1"
    assert rows[("Room 18", "the main house")] == "1"
    assert rows[("Room 18", "Hailsham")] == "2"


def test_real_places(store):
    names = set(run(store, "real-places").values("name"))
    assert {"England", "Norfolk", "Cromer", "Dover", "Littlehampton"} <= names
    assert not names & {"Hailsham", "the Cottages", "the Kingsfield"}


def test_only_mentioned(store):
    names = set(run(store, "only-mentioned").values("name"))
    assert {"Judy Bridgewater", "James Morningdale", "Steve"} <= names
    assert not names & {"Kathy H.", "Ruth", "Tommy D.", "Madame", "Keffers"}


def test_relationship_types(store):
    symmetric = {r["name"]: r["symmetric"] for r in run(store, "relationship-types").records()}
    assert symmetric["couple"] == "true" and symmetric["carer of"] == "false"


def test_chapters_and_parts(store):
    parts = {r["chapter"]: r["part"] for r in run(store, "chapters").records()}
    assert len(parts) == 23
    assert (parts["9"], parts["10"], parts["17"], parts["18"], parts["23"]) == ("Part One", "Part Two", "Part Two", "Part Three", "Part Three")


def test_flashbacks(store):
    events = set(run(store, "told-out-of-order").values("event"))
    assert ":e15-tommy-looked-for-the-tape-at-hailsham" in events
    assert ":e01-tommy-tantrum" not in events


def test_revelations(store):
    rows = {(r["revealer"], r["chapter"]) for r in run(store, "revelations").records()}
    assert {("Miss Lucy", "7"), ("Roger C.", "18"), ("Miss Emily", "22")} <= rows


def test_gifts(store):
    rows = {(r["giver"], r["recipient"], r["chapter"]) for r in run(store, "gifts").records()}
    assert {("Ruth", "Kathy H.", "6"), ("Tommy D.", "Kathy H.", "15"), ("Ruth", "Tommy D.", "19")} <= rows


def test_busiest_places(store):
    order = run(store, "busiest-places").values("place")
    assert order.index(":hailsham") < order.index(":the-cottages") < order.index(":madames-house")


def test_relationships_that_change(store):
    stretches = {frozenset((r["one"], r["other"])): int(r["stretches"]) for r in run(store, "relationship-changes").records()}
    for pair in (("Kathy H.", "Ruth"), ("Kathy H.", "Tommy D."), ("Ruth", "Tommy D.")):
        assert stretches[frozenset(pair)] >= 3
    # In story order, Ruth and Tommy's first stretch is the couple of the senior years at Hailsham.
    stages = next(r["stages"] for r in run(store, "relationship-changes").records() if {r["one"], r["other"]} == {"Ruth", "Tommy D."})
    assert stages.startswith("2 senior years at Hailsham: couple")


def test_beliefs_by_holder(store):
    rows = {(r["holder"], r["belief"]) for r in run(store, "beliefs-by-holder").records()}
    assert {("Tommy D.", ":belief-gallery-reveals-souls"), ("Ruth", ":belief-possibles"), ("Chrissie", ":belief-deferrals")} <= rows


def test_relationship_evidence(store):
    rows = {(r["event"], r["chapter"]) for r in run(store, "relationship-evidence").records() if r["relationship"] == ":rel-kathy-h-ruth-care"}
    assert (":e18-kathy-becomes-ruths-carer", "18") in rows


def test_event_types(store):
    counts = {r["name"]: int(r["events"]) for r in run(store, "event-types").records()}
    assert counts["completion"] == 3  # Chrissie, Ruth, Tommy


def test_kathys_timeline_ends_at_the_fence_in_norfolk(store):
    records = run(store, "character-timeline").records()
    assert records[0]["chapter"] == "1"
    assert records[-1]["event"] == ":e23-kathy-at-the-fence-in-norfolk"


def test_guardians(store):
    names = set(run(store, "guardians").values("guardian"))
    assert {"Miss Emily", "Miss Lucy", "Miss Geraldine"} <= names
    assert not names & {"Madame", "Crow Face", "Keffers"}


def test_kathy_has_the_most_relationships(store):
    assert run(store, "most-connected").values("character")[0] == "Kathy H."


def test_events_by_phase(store):
    records = run(store, "events-by-phase").records()
    assert [r["order"] for r in records] == ["0", "1", "2", "3", "4", "5"]
    assert records[0]["first_chapter"] == "22"  # the backstory comes out only with Miss Emily


def test_epistemic_statuses(store):
    rows = {r["status"]: (int(r["statements"]), int(r["overturned_later"])) for r in run(store, "epistemic-statuses").records()}
    assert rows["rumour"][1] >= 1


def test_places_tommy_goes(store):
    places = set(run(store, "places-of-a-character").values("place"))
    assert {"the Kingsfield", "the stranded boat", "Madame's house", "the Cottages"} <= places
    assert not places & {"the recovery centre in Dover", "the old bus shelter"}


# --- through the command line ----------------------------------------------------------------


def test_cli_lists_the_library(capsys):
    assert main(["query", "--list", "--format", "json"]) == 0
    names = {row["name"] for row in json.loads(capsys.readouterr().out)}
    assert {"library/carers", "library/story-order", "competency/replacement-tape-giver"} <= names


def test_cli_relationship_graph_as_turtle(capsys):
    assert main(["query", LIBRARY + "relationship-graph", "--format", "turtle"]) == 0
    graph = Graph().parse(data=capsys.readouterr().out, format="turtle")
    assert (URIRef(ID["kathy-h"]), NLMG.carerOf, URIRef(ID["tommy-d"])) in graph
    assert (URIRef(ID["kathy-h"]), SKOS.prefLabel, Literal("Kathy H.", lang="en")) in graph


def test_cli_relationships_as_of_chapter_9(capsys):
    assert main(["query", LIBRARY + "relationships", "--as-of", "9", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)["results"]["bindings"]
    pairs = {(r["source"]["value"], r["type"]["value"], r["target"]["value"]) for r in rows}
    assert ("Ruth", "couple", "Tommy D.") in pairs
    assert ("Kathy H.", "couple", "Tommy D.") not in pairs


def test_cli_carers_as_csv(capsys):
    assert main(["query", LIBRARY + "carers", "--format", "csv"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0].split(",")[:2] == ["carer", "donor"]
    assert len(lines) == 4  # Ruth, Tommy and the donor from chapter 1
