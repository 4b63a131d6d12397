"""The NetworkX projections: faithful to the RDF counts, layers kept apart, cut and sliced."""

import pytest
from rdflib.namespace import RDF

from graph import as_of
from graph.namespaces import NLMG, SEM
from graph.project import character_graph, coparticipation_graph, to_networkx


def test_no_relationship_or_participant_is_lost(graph, projection):
    relationships = set(graph.subjects(RDF.type, NLMG.Relationship))
    edges = [d for _, _, d in projection.edges(data=True) if d["kind"] == "relationship"]
    assert len(edges) == len(relationships)
    participations = {(e, graph.value(r, RDF.value)) for e, r in graph.subject_objects(SEM.hasActor)}
    assert sum(1 for _, _, d in projection.edges(data=True) if d["kind"] == "participant") == len(participations)


@pytest.mark.parametrize(
    ("cls", "kind"),
    [(NLMG.Character, "character"), (NLMG.Place, "place"), (NLMG.Event, "event"), (NLMG.Belief, "belief"), (NLMG.StoryObject, "object"), (NLMG.Motif, "motif")],
)
def test_every_entity_is_a_node_of_its_kind(graph, projection, cls, kind):
    assert sum(1 for _, d in projection.nodes(data=True) if d["kind"] == kind) == len(set(graph.subjects(RDF.type, cls)))


def test_nodes_carry_what_a_reader_needs(projection):
    kathy = projection.nodes["kathy-h"]
    assert kathy["label"] == "Kathy H." and "Kath" in kathy["alt_labels"]
    assert kathy["first_chapter"] == 1 and "Hailsham student" in kathy["groups"]
    assert projection.nodes["chrissie"]["first_chapter"] == 10


def test_relationship_edges_carry_type_phases_chapters_and_status(projection):
    couple = projection.get_edge_data("ruth", "tommy-d")["rel-ruth-tommy-d-romance-hailsham"]
    assert couple["type"] == "romance" and couple["symmetric"]
    assert "senior-hailsham" in couple["phases"] and 8 in couple["chapters"]
    assert couple["status"] == "stated"


def test_the_relationship_layer_has_characters_and_typed_relationships_only(graph):
    layer = character_graph(graph)
    assert {d["kind"] for _, d in layer.nodes(data=True)} == {"character"}
    assert {d["kind"] for _, _, d in layer.edges(data=True)} == {"relationship"}


def test_the_coparticipation_layer_counts_shared_scenes(graph):
    layer = coparticipation_graph(graph)
    # Kathy, Ruth and Tommy share many scenes across the whole book.
    assert layer.edges["kathy-h", "ruth"]["weight"] >= 10
    assert layer.edges["kathy-h", "tommy-d"]["weight"] >= 10
    # Judy Bridgewater is only a voice on a tape: she shares no scene with anyone.
    assert layer.degree("judy-bridgewater") == 0


def test_a_part_slice_keeps_only_what_that_part_tells(graph):
    part_two = character_graph(graph, part=2)
    for _, _, data in part_two.edges(data=True):
        assert set(data["chapters"]) & set(range(10, 18))
    # Kathy and Tommy become lovers only in Part Three.
    assert not any(d["type"] == "romance" for d in part_two.get_edge_data("kathy-h", "tommy-d", default={}).values())


def test_a_phase_slice_keeps_that_phase(graph):
    cottages = to_networkx(graph, phase="cottages")
    events = [d for _, d in cottages.nodes(data=True) if d["kind"] == "event"]
    assert events and all("cottages" in d["phases"] for d in events)


def test_views_are_cut_with_as_of(graph):
    assert "chrissie" not in character_graph(as_of(graph, 9))
    assert "chrissie" in character_graph(as_of(graph, 10))


@pytest.mark.parametrize(("part", "phase", "message"), [(4, None, "part must be 1, 2 or 3"), (None, "university", "unknown story phase")])
def test_bad_slices_are_refused(graph, part, phase, message):
    with pytest.raises(ValueError, match=message):
        to_networkx(graph, part=part, phase=phase)
