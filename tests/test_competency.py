"""The competency questions of ``queries/competency/``: each is run through the public SPARQL API
(or the CLI) and its answer compared with the book.

Every expected answer below is a fact of the novel, checked by hand against chapter summaries and
pages quoting the book (the chapter is the one that first tells it); none is computed by the code
under test. Answers are labels (``skos:prefLabel``) as ``QueryResult.values`` gives them; chapter
numbers come back as text.
"""

from __future__ import annotations

import json

import pytest

from graph import sparql
from graph.cli import main

PREFIX = "competency/"


def answer(store, name: str) -> sparql.QueryResult:
    return sparql.run(store, sparql.find_query(PREFIX + name).text)


# (query, {variable: the set of values the book gives}). The chapter is where the book first tells it.
EXACT = [
    # Part One
    ("replacement-tape-giver", {"giver": {"Ruth"}, "recipient": {"Kathy H."}, "chapter": {"6"}}),
    ("lost-tape-and-singer", {"tape": {"Songs After Dark"}, "singer": {"Judy Bridgewater"}, "chapter": {"6"}}),
    ("who-sees-kathy-dance", {"watcher": {"Madame"}, "chapter": {"6"}}),
    ("pavilion-revelation", {"speaker": {"Miss Lucy"}, "chapter": {"7"}}),
    ("not-creative-reassurance", {"speaker": {"Miss Lucy"}}),
    ("elephant-picture-guardian", {"guardian": {"Miss Geraldine"}, "chapter": {"2"}}),
    ("tokens-controversy-leader", {"leader": {"Roy J."}, "chapter": {"4"}}),
    ("who-asks-why-madame-takes-work", {"student": {"Polly T."}, "chapter": {"4"}}),
    ("secret-guard", {"leader": {"Ruth"}, "protected": {"Miss Geraldine"}}),
    ("made-to-look-at-the-woods", {"girl": {"Marge K."}, "chapter": {"5"}}),
    ("pencil-case-question", {"classmate": {"Midge"}, "chapter": {"6"}}),  # the book calls her Midge
    ("lost-corner", {"county": {"Norfolk"}, "teacher": {"Miss Emily"}, "chapter": {"6"}}),
    ("who-teases-tommy", {"teaser": {"Christopher H.", "Ruth"}}),
    ("kathys-first-choice", {"boy": {"Harry C."}}),
    ("the-nurse", {"nickname": {"Crow Face"}, "name": {"Nurse Trisha"}, "chapter": {"2"}}),
    ("miss-lucy-leaves", {"chapter": {"9"}}),
    ("madame-is-afraid-theory", {"who": {"Ruth"}, "chapter": {"3"}}),
    ("whom-ruth-adores", {"guardian": {"Miss Geraldine"}}),
    # Part Two
    ("cottages-caretaker", {"who": {"Keffers"}, "chapter": {"10"}}),
    ("norfolk-trip-veterans", {"veteran": {"Chrissie", "Rodney"}}),
    ("ruths-possible", {"possible": {"the woman in the Cromer office"}, "overturned_in": {"14"}}),
    ("where-they-look-for-ruths-possible", {"town": {"Cromer"}}),
    ("who-sighted-ruths-possible", {"who": {"Chrissie", "Rodney"}, "chapter": {"12"}}),
    ("car-news", {"messenger": {"Fiona"}, "chapter": {"13"}}),
    ("rodneys-carer-friend", {"friend": {"Martin"}}),
    ("tape-found-in-norfolk", {"finder": {"Kathy H."}, "town": {"Cromer"}, "buyer": {"Tommy D."}, "chapter": {"15"}}),
    ("whose-magazines", {"owner": {"Steve"}, "chapter": {"11"}}),
    ("kathys-affair-at-the-cottages", {"partner": {"Lenny"}, "chapter": {"16"}}),
    ("mocking-tommys-animals", {"mocker": {"Ruth"}, "place": {"the churchyard"}, "chapter": {"16"}}),
    ("kathy-leaves-the-cottages", {"chapter": {"17"}}),
    # Part Three
    ("bad-first-donation", {"donor": {"Ruth"}, "chapter": {"18"}}),
    ("who-kathy-cares-for", {"donor": {"Ruth", "Tommy D.", "the donor who wanted to hear about Hailsham"}, "chapter": {"1"}}),
    ("hailsham-closing-news", {"who": {"Roger C."}, "chapter": {"18"}}),
    ("who-urges-kathy-to-care-for-ruth", {"friend": {"Laura"}, "chapter": {"18"}}),
    ("who-goes-to-see-the-boat", {"who": {"Kathy H.", "Ruth", "Tommy D."}, "chapter": {"19"}}),
    ("veteran-met-again", {"veteran": {"Rodney"}, "chapter": {"19"}}),
    ("ruths-completion-chapter", {"chapter": {"19"}}),
    ("where-they-find-madame", {"town": {"Littlehampton"}}),
    ("guardian-at-madames-house", {"guardian": {"Miss Emily"}}),
    ("no-deferrals", {"revealer": {"Miss Emily"}, "chapter": {"22"}}),
    ("what-the-gallery-was-for", {"explainer": {"Miss Emily"}, "chapter": {"22"}}),
    ("madames-first-name", {"name": {"Marie-Claude"}}),
    ("morningdale-scandal", {"who": {"James Morningdale"}, "chapter": {"22"}}),
    ("tommys-rage-in-the-field", {"who": {"Tommy D."}, "with": {"Kathy H."}}),
    ("who-asks-for-another-carer", {"who": {"Tommy D."}, "chapter": {"23"}}),
    ("the-last-scene", {"county": {"Norfolk"}, "chapter": {"23"}}),
]


@pytest.mark.parametrize(("name", "expected"), EXACT, ids=[name for name, _ in EXACT])
def test_competency_question(store, name, expected):
    result = answer(store, name)
    assert result.kind == "SELECT"
    for variable, values in expected.items():
        assert set(result.values(variable)) == values, f"{name}: ?{variable}"


def test_the_deferral_rumour_comes_from_the_veteran_couple_in_chapter_13(store):
    result = answer(store, "deferral-rumour")
    tellers = set(result.values("teller"))
    assert tellers and tellers <= {"Chrissie", "Rodney"}
    assert set(result.values("chapter")) == {"13"}


def test_ruth_copies_the_veteran_couple(store):
    models = set(answer(store, "whom-ruth-copies").values("model"))
    assert "Chrissie" in models and models <= {"Chrissie", "Rodney"}


def test_ruth_hands_madames_address_to_tommy_in_chapter_19(store):
    result = answer(store, "madames-address")
    assert set(result.values("giver")) == {"Ruth"}
    assert "Tommy D." in set(result.values("recipient"))
    assert set(result.values("chapter")) == {"19"}


def test_the_couples(store):
    pairs = {frozenset((r["one"], r["other"])) for r in answer(store, "couples").records()}
    assert pairs == {
        frozenset(("Chrissie", "Rodney")),
        frozenset(("Kathy H.", "Lenny")),
        frozenset(("Kathy H.", "Tommy D.")),
        frozenset(("Ruth", "Tommy D.")),
    }


def test_completions_and_their_chapters(store):
    told = {r["who"]: r["chapter"] for r in answer(store, "completions").records()}
    assert told == {"Chrissie": "19", "Ruth": "19", "Tommy D.": "23"}


def test_ruth_and_tommy_break_up_in_chapter_8_and_make_up_in_chapter_9(store):
    told = {r["what"]: r["chapter"] for r in answer(store, "ruth-and-tommy-at-hailsham").records()}
    assert told == {"break-up": "8", "reconciliation": "9"}


@pytest.mark.parametrize(
    ("name", "expected"),
    [("is-kathy-a-donor", False), ("ruth-completes-before-tommy", True)],
    ids=["kathy-is-still-a-carer-at-the-end", "ruth-completes-before-tommy"],
)
def test_yes_no_questions(store, name, expected):
    result = answer(store, name)
    assert result.kind == "ASK"
    assert result.boolean is expected


@pytest.mark.parametrize(
    ("name", "variable", "present", "absent"),
    [
        (
            "hailsham-spaces",
            "space",
            {
                "the main house",
                "Room 18",
                "the sports pavilion",
                "the playing fields",
                "the South Playing Field",
                "the pond",
                "the woods",
                "the dormitories",
                "the classrooms",
                "the courtyard",
                "the sandpit",
            },
            {"Hailsham", "the Cottages", "Madame's house", "the Kingsfield", "Cromer"},
        ),
        (
            "which-places-are-real",
            "place",
            {"England", "Norfolk", "Cromer", "Dover", "Littlehampton"},
            {"Hailsham", "the Cottages", "the Kingsfield", "Madame's house", "the stranded boat"},
        ),
    ],
    ids=["hailsham-spaces", "which-places-are-real"],
)
def test_places(store, name, variable, present, absent):
    found = set(answer(store, name).values(variable))
    assert present <= found, present - found
    assert not (absent & found), absent & found


def test_rumours_overturned_and_where(store):
    overturned = {r["belief"]: r["chapter"] for r in answer(store, "rumours-overturned").records()}
    book = {
        ":belief-creativity-doesnt-matter": "9",  # Miss Lucy takes it back; Tommy tells Kathy in chapter 9
        ":belief-ruths-possible": "14",  # the woman in Cromer is not Ruth's possible
        ":belief-deferrals": "22",  # Miss Emily: there are no deferrals
        ":belief-gallery-purpose": "22",  # what the Gallery was really for
        ":belief-gallery-reveals-souls": "22",  # Tommy's theory of the Gallery
    }
    assert {k: overturned.get(k) for k in book} == book
    assert ":belief-possibles" not in overturned  # the book never settles whether there are models


def test_the_tape_in_story_order(store):
    events = answer(store, "the-tape-in-story-order").values("event")
    lost, tommys_search, copy_found, madame_explains = (
        events.index(":e06-tape-goes-missing"),
        events.index(":e15-tommy-looked-for-the-tape-at-hailsham"),
        events.index(":e15-kathy-finds-a-copy-of-the-tape"),
        events.index(":e22-why-madame-wept"),
    )
    assert lost < tommys_search < copy_found < madame_explains


# The spoiler cut: what a reader knows after chapter N (all true of the book).
AS_OF = [
    ("who-teases-tommy", 9, "teaser", {"Christopher H."}),  # Ruth's jibes come in Part Two
    ("norfolk-trip-veterans", 9, "veteran", set()),  # the veterans appear in chapter 10
    ("who-kathy-cares-for", 1, "donor", {"Ruth", "Tommy D.", "the donor who wanted to hear about Hailsham"}),
    ("ruths-possible", 13, "overturned_in", set()),  # the woman is seen close up in chapter 14
    ("ruths-possible", 14, "overturned_in", {"14"}),
    ("completions", 17, "who", set()),  # as of chapter 17 nobody has completed
    ("ruths-completion-chapter", 17, "chapter", set()),
    ("completions", 19, "who", {"Chrissie", "Ruth"}),
    ("madames-first-name", 20, "name", set()),
    ("no-deferrals", 21, "revealer", set()),  # the truth about deferrals comes in chapter 22
    ("no-deferrals", 22, "revealer", {"Miss Emily"}),
    ("what-the-gallery-was-for", 21, "explainer", set()),
]


@pytest.mark.parametrize(("name", "chapter", "variable", "expected"), AS_OF, ids=[f"{n}-as-of-{c}" for n, c, _, _ in AS_OF])
def test_competency_question_as_of(store_as_of, name, chapter, variable, expected):
    assert set(answer(store_as_of(chapter), name).values(variable)) == expected


def test_kathy_and_tommy_are_a_couple_only_from_chapter_20(store_as_of):
    def couples(chapter):
        return {frozenset((r["one"], r["other"])) for r in answer(store_as_of(chapter), "couples").records()}

    assert frozenset(("Kathy H.", "Tommy D.")) not in couples(19)
    assert frozenset(("Kathy H.", "Tommy D.")) in couples(20)


def test_as_of_chapter_22_tommys_completion_is_not_yet_told(store_as_of):
    assert answer(store_as_of(22), "ruth-completes-before-tommy").boolean is False


# Through the command line, as a reader would ask.
def run_cli(capsys, *argv: str):
    assert main(["query", *argv, "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def bindings(document, variable):
    return {row[variable]["value"] for row in document["results"]["bindings"] if variable in row}


def test_cli_who_gives_kathy_the_replacement_tape(capsys):
    document = run_cli(capsys, PREFIX + "replacement-tape-giver")
    assert bindings(document, "giver") == {"Ruth"}
    assert bindings(document, "chapter") == {"6"}


def test_cli_finds_a_question_by_its_short_name(capsys):
    assert bindings(run_cli(capsys, "where-they-find-madame"), "town") == {"Littlehampton"}


def test_cli_yes_no_question(capsys):
    assert run_cli(capsys, PREFIX + "is-kathy-a-donor")["boolean"] is False


@pytest.mark.parametrize(
    ("name", "chapter", "variable", "expected"),
    [
        ("completions", "17", "who", set()),
        ("no-deferrals", "21", "revealer", set()),
        ("no-deferrals", "22", "revealer", {"Miss Emily"}),
        ("norfolk-trip-veterans", "9", "veteran", set()),
    ],
    ids=["no-completion-as-of-17", "no-deferral-truth-as-of-21", "deferral-truth-as-of-22", "no-veterans-as-of-9"],
)
def test_cli_as_of(capsys, name, chapter, variable, expected):
    assert bindings(run_cli(capsys, PREFIX + name, "--as-of", chapter), variable) == expected
