"""The spoiler cut: as of chapter N, only what a reader knows after chapter N."""

import pytest
from rdflib import Literal
from rdflib.namespace import RDF, SDO, SKOS

from graph import as_of
from graph.namespaces import ID, NLMG, SEM
from graph.spoilers import reveal_chapters

PART_TWO_PEOPLE = ("chrissie", "rodney", "keffers", "martin", "lenny")


def chapters_cited(graph, node):
    numbers = {c: int(graph.value(c, SDO.position)) for c in graph.subjects(RDF.type, NLMG.Chapter)}
    return {numbers[c] for c in graph.objects(node, NLMG.toldIn)}


def test_as_of_chapter_9_nothing_from_part_two_exists(graph):
    early = as_of(graph, 9)
    for person in PART_TWO_PEOPLE:  # the Cottages' people appear from chapter 10 on
        assert (ID[person], None, None) not in early and (None, None, ID[person]) not in early
    assert (ID["the-cottages"], None, None) not in early
    assert (ID["chapter-10"], None, None) not in early
    for thing, chapter in reveal_chapters(early).items():
        assert chapter <= 9, f"{thing} is revealed in chapter {chapter}"


def test_as_of_chapter_9_cuts_later_citations_but_keeps_the_node(graph):
    # Ruth and Tommy as a couple at Hailsham is told in Part One and retold later.
    early = as_of(graph, 9)
    node = ID["rel-ruth-tommy-d-romance-hailsham"]
    assert (node, RDF.type, NLMG.Relationship) in early
    assert chapters_cited(early, node) and max(chapters_cited(early, node)) <= 9


def test_as_of_chapter_21_nothing_of_what_chapter_22_reveals(graph):
    before = as_of(graph, 21)
    assert (ID["e22-miss-emily-no-deferrals"], None, None) not in before
    assert Literal("Marie-Claude", lang="en") not in set(before.objects(ID["madame"], SKOS.altLabel))
    # ... while the rumour of deferrals is still believed, not yet overturned.
    assert (ID["belief-deferrals"], RDF.type, NLMG.Belief) in before
    assert (ID["belief-deferrals"], NLMG.overturnedIn, None) not in before
    after = as_of(graph, 22)
    assert Literal("Marie-Claude", lang="en") in set(after.objects(ID["madame"], SKOS.altLabel))
    assert (ID["belief-deferrals"], NLMG.overturnedIn, ID["chapter-22"]) in after


def test_shortcuts_follow_the_relationship_nodes_that_remain(graph):
    # Kathy and Tommy become lovers only in Part Three.
    assert (ID["kathy-h"], NLMG.romanticPartnerOf, ID["tommy-d"]) not in as_of(graph, 17)
    assert (ID["kathy-h"], NLMG.romanticPartnerOf, ID["tommy-d"]) in graph
    # Ruth and Tommy are a couple already in Part One.
    assert (ID["ruth"], NLMG.romanticPartnerOf, ID["tommy-d"]) in as_of(graph, 9)


def test_no_completion_is_known_before_part_three(graph):
    assert not set(as_of(graph, 17).subject_objects(NLMG.fate))


def test_as_of_the_last_chapter_keeps_everything(graph):
    assert len(as_of(graph, 23)) == len(graph)


def test_cutting_twice_is_the_same_as_cutting_once(graph):
    assert set(as_of(as_of(graph, 15), 8)) == set(as_of(graph, 8))


def test_each_later_chapter_knows_at_least_as_much(graph):
    sizes = [len(as_of(graph, n)) for n in (1, 5, 9, 13, 17, 21, 23)]
    assert sizes == sorted(sizes) and sizes[0] < sizes[-1]


@pytest.mark.parametrize("bad", [0, 24, -3, 2.5, "9", True])
def test_a_chapter_outside_the_book_is_refused(graph, bad):
    with pytest.raises(ValueError, match="1 to 23"):
        as_of(graph, bad)


@pytest.mark.parametrize("chapter", range(1, 24))
def test_as_of_every_chapter_nothing_is_revealed_later(graph, chapter):
    cut = as_of(graph, chapter)
    late = {thing: told for thing, told in reveal_chapters(cut).items() if told > chapter}
    assert not late, f"as of chapter {chapter}: {sorted(map(str, late))[:5]}"
    # the chapters after N are gone, and with them every citation of them
    numbers = {c: int(cut.value(c, SDO.position)) for c in cut.subjects(RDF.type, NLMG.Chapter)}
    assert max(numbers.values()) == chapter


#: rdflib's SPARQL engine, not the cut's own code: the blank nodes that some triple points at.
_HUNG = "SELECT DISTINCT ?b WHERE { ?parent ?p ?b FILTER isBlank(?b) }"
_DESCRIBED = "SELECT DISTINCT ?b WHERE { ?b ?p ?o FILTER isBlank(?b) }"


@pytest.mark.parametrize("chapter", [9, 16])
def test_no_blank_node_outlives_what_it_hung_from(graph, chapter):
    """An event told later takes its participants' role nodes with it: the cut keeps no blank node that hung
    from something in the whole book and hangs from nothing in the cut."""
    cut = as_of(graph, chapter)
    hung_in_book = {row.b for row in graph.query(_HUNG)}
    hung_in_cut = {row.b for row in cut.query(_HUNG)}
    described_in_cut = {row.b for row in cut.query(_DESCRIBED)}
    assert described_in_cut & hung_in_book <= hung_in_cut
    later_roles = {role for event in graph.subjects(RDF.type, NLMG.Event) if (event, None, None) not in cut for role in graph.objects(event, SEM.hasActor)}
    assert later_roles and not later_roles & described_in_cut  # the roles of later events were there to drop, and went
