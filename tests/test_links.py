"""Links to Wikidata: every identifier is one we checked (the list below says where its label was
seen beside it), the real places are linked, and names resolve through the identifiers."""

import pytest
from rdflib import Literal
from rdflib.namespace import SDO

from graph.cli import main
from graph.links import WD, find_by_wikidata, wikidata_id, wikidata_links
from graph.namespaces import ID, NLMG
from graph.project import to_networkx
from graph.queries import UnknownName, resolve

#: Our entity -> (Wikidata id, the item's English label, where the pair was seen).
CHECKED = {
    "never-let-me-go": ("Q951587", "Never Let Me Go", "a reading list linking Q951587 to the novel's Wikipedia article"),
    "kazuo-ishiguro": ("Q272855", "Kazuo Ishiguro", "a Wikidata-derived list of Nobel laureates in literature (2017)"),
    "england": ("Q21", "England", "a Wikidata ingestion script's list of the UK's constituent countries"),
    "wales": ("Q25", "Wales", "the same list, and an atlas table of Wikidata entities"),
    "norfolk": ("Q23109", "Norfolk", "an atlas table of Wikidata county entities"),
    "dorset": ("Q23159", "Dorset", "the same atlas table"),
    "dover": ("Q179224", "Dover", "a Wikidata list of British towns (Dover, Kent)"),
}


def test_the_links_are_exactly_the_checked_ones(graph):
    found = {str(s)[len(str(ID)) :]: q for s, q in wikidata_links(graph).items()}
    assert found == {name: qid for name, (qid, _, _) in CHECKED.items()}


def test_each_link_joins_things_of_the_same_name(graph):
    for name, (_, label, _) in CHECKED.items():
        ours = {str(v) for v in graph.objects(ID[name], None) if isinstance(v, Literal) and v.language in (None, "en")}
        assert label in ours, name


def test_the_links_use_schema_sameAs_to_wikidata_entities(graph):
    for o in graph.objects(None, SDO.sameAs):
        assert str(o).startswith(str(WD)) and wikidata_id(str(o)) is not None


def test_every_real_place_linked_or_known_to_be_missing(graph):
    """Cromer and Littlehampton have no identifier we could confirm (data/links.ttl says so)."""
    real = {str(p)[len(str(ID)) :] for p in graph.subjects(NLMG.isReal, Literal(True))}
    assert real - set(CHECKED) == {"cromer", "littlehampton"}


@pytest.mark.parametrize("written", ["Q23109", "wd:Q23109", "q23109", "https://www.wikidata.org/wiki/Q23109"])
def test_a_name_resolves_through_its_wikidata_id(projection, written):
    assert resolve(projection, written) == "norfolk"


def test_an_unlinked_wikidata_id_is_refused_clearly(projection):
    with pytest.raises(UnknownName, match="Q42"):
        resolve(projection, "wd:Q42")


def test_the_api_finds_the_novel_and_its_author(graph):
    assert find_by_wikidata(graph, "Q951587") == ID["never-let-me-go"]
    assert find_by_wikidata(graph, "wd:Q272855") == ID["kazuo-ishiguro"]
    with pytest.raises(LookupError, match="not a Wikidata id"):
        find_by_wikidata(graph, "Ishiguro")


def test_the_command_line_takes_a_wikidata_id(capsys):
    assert main(["place", "wd:Q179224", "--format", "csv"]) == 0
    assert "Dover" in capsys.readouterr().out


def test_the_projection_carries_the_wikidata_id(graph):
    assert to_networkx(graph).nodes["dover"]["wikidata"] == "Q179224"
