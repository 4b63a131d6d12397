"""Validation: the real data is clean; broken data fails with the file, the line and the fix."""

from pathlib import Path

import pytest

from graph import validate
from graph.cli import main

CHARACTER = """
:hailsham-visitor a nlmg:Character ;
    skos:prefLabel "A visitor"@en ;
    nlmg:group group:outsider ;
    nlmg:firstChapter :chapter-03 ;
    schema:description "Someone who comes to the school."@en .
"""


def prefixes(data: Path) -> str:
    text = (data / "characters.ttl").read_text(encoding="utf-8")
    return "".join(line + "\n" for line in text.splitlines() if line.startswith("@prefix"))


def add_file(data: Path, name: str, body: str) -> Path:
    path = data / name
    path.write_text(prefixes(data) + body, encoding="utf-8")
    return path


def line_of(path: Path, marker: str) -> int:
    """The number of the first line of ``path`` holding ``marker`` (hand-written expectation of where an error is)."""
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1) if marker in line)


def only_problem(data: Path):
    report = validate(data)
    assert not report.conforms
    return report.problems


def test_the_real_data_is_valid():
    report = validate()
    assert report.conforms, "\n".join(map(str, report.problems[:20]))
    assert report.files >= 30


def test_a_syntax_error_names_the_file_and_line(data_copy):
    path = add_file(data_copy, "broken.ttl", CHARACTER + ':another a nlmg:Character ;\n    skos:prefLabel "x"@en\n    nlmg:group group:outsider .\n')
    problems = only_problem(data_copy)
    assert len(problems) == 1
    bad_line = len(path.read_text().splitlines())  # the statement breaks on the line after the missing ';'
    assert problems[0].file.endswith("broken.ttl")
    assert problems[0].line in (bad_line - 1, bad_line)
    assert "syntax" in problems[0].message.lower()


def test_a_misspelt_iri_is_an_error_with_a_suggestion(data_copy):
    path = add_file(data_copy, "typo.ttl", CHARACTER.replace("nlmg:firstChapter", "nlmg:theme theme:memry ;\n    nlmg:firstChapter"))
    problems = only_problem(data_copy)
    typo = [p for p in problems if p.rule == "undeclared-iri"]
    assert typo and "theme:memry" in typo[0].message
    assert "theme:memory" in typo[0].fix
    assert typo[0].file.endswith("typo.ttl") and typo[0].line == line_of(path, "theme:memry")


def test_a_character_without_a_group_is_named_with_the_rule_and_fix(data_copy):
    path = add_file(data_copy, "nogroup.ttl", CHARACTER.replace("    nlmg:group group:outsider ;\n", ""))
    problems = only_problem(data_copy)
    assert any(":hailsham-visitor" in p.message and "nlmg:group" in p.message for p in problems)
    assert all(p.file.endswith("nogroup.ttl") and p.line == line_of(path, ":hailsham-visitor a") for p in problems)


def test_an_unlabelled_language_literal_is_refused(data_copy):
    add_file(data_copy, "nolang.ttl", CHARACTER.replace('"A visitor"@en', '"A visitor"'))
    assert any("language-tagged" in p.message for p in only_problem(data_copy))


def test_an_event_needs_a_participant_a_chapter_and_a_place(data_copy):
    add_file(
        data_copy,
        "event.ttl",
        """
:e03-empty a nlmg:Event ;
    skos:prefLabel "Nothing much"@en ;
    schema:description "An event with nobody in it."@en ;
    sem:eventType evtype:conversation ;
    sem:hasTime phase:early-hailsham .
""",
    )
    messages = " | ".join(p.message for p in only_problem(data_copy))
    assert "participant" in messages and "chapter" in messages and "place" in messages


def test_a_relationship_needs_chapter_evidence(data_copy):
    add_file(
        data_copy,
        "rel.ttl",
        """
:rel-test a nlmg:Relationship ;
    nlmg:source :kathy-h ; nlmg:target :ruth ;
    nlmg:relationType reltype:friendship ;
    sem:hasTime phase:early-hailsham ;
    nlmg:epistemicStatus status:stated .
""",
    )
    assert any(":rel-test" in p.message and "nlmg:toldIn" in p.fix for p in only_problem(data_copy))


def test_a_hand_written_shortcut_is_refused(data_copy):
    add_file(data_copy, "shortcut.ttl", "@prefix rel: <http://purl.org/vocab/relationship/> .\n:kathy-h rel:friendOf :ruth .\n")
    assert any(p.rule == "derived-triple-authored" for p in only_problem(data_copy))


def test_a_participant_met_after_the_event_is_told_is_an_error(data_copy):
    # Chrissie is first met in chapter 10: she cannot take part in an event told in chapter 2.
    add_file(
        data_copy,
        "order.ttl",
        """
:e02-too-early a nlmg:Event ;
    skos:prefLabel "Too early"@en ;
    schema:description "Chrissie at Hailsham, which never happens."@en ;
    sem:eventType evtype:conversation ;
    sem:hasActor [ rdf:value :chrissie ; sem:roleType role:agent ] ;
    sem:hasPlace :hailsham ; sem:hasTime phase:early-hailsham ; nlmg:toldIn :chapter-02 .
""",
    )
    problems = [p for p in only_problem(data_copy) if p.rule == "chapter-order"]
    assert problems and "chapter 2" in problems[0].message and ":chrissie" in problems[0].message


def test_a_thing_declared_in_two_files_is_reported(data_copy):
    add_file(data_copy, "again.ttl", ':ruth a nlmg:Character ; skos:prefLabel "Ruth"@en .\n')
    assert any(p.rule == "declared-twice" and "characters.ttl" in p.message for p in only_problem(data_copy))


def test_cli_validate_exit_codes_and_plain_messages(data_copy, capsys):
    assert main(["validate"]) == 0
    path = add_file(data_copy, "typo.ttl", CHARACTER.replace("nlmg:group", "nlmg:grop"))
    capsys.readouterr()
    assert main(["--data", str(data_copy), "validate"]) == 1
    out = capsys.readouterr()
    assert f"typo.ttl:{line_of(path, 'nlmg:grop')}:" in out.out and "nlmg:grop" in out.out and "Traceback" not in out.err


def test_cli_validate_json(capsys):
    assert main(["validate", "--format", "json"]) == 0
    assert '"conforms": true' in capsys.readouterr().out


@pytest.mark.parametrize("folder", ["missing-folder"])
def test_a_missing_data_folder_is_a_clear_error(tmp_path, folder, capsys):
    assert main(["--data", str(tmp_path / folder), "validate"]) == 1
    assert "does not exist" in capsys.readouterr().out


def test_an_event_in_the_wrong_chapter_file_is_reported(data_copy):
    path = data_copy / "events" / "chapter-03.ttl"
    path.write_text(path.read_text(encoding="utf-8").replace("nlmg:toldIn :chapter-03", "nlmg:toldIn :chapter-04", 1), encoding="utf-8")
    problems = [p for p in only_problem(data_copy) if p.rule == "event-file"]
    assert problems and "first told in chapter 4" in problems[0].message and "chapter-04.ttl" in problems[0].fix
