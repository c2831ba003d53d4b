from tongban.core.management.commands.threat_coverage import find_problems, ids_with_tests

DOC = """| id | threat | status |
|---|---|---|
| T-A1 | Credential stuffing | tested |
| T-B1 | IDOR | pending: issue 3 |
"""


def test_consistent_document_has_no_problems():
    assert find_problems(DOC, {"T-A1"}) == ({"T-A1": "tested", "T-B1": "pending: issue 3"}, [])


def test_tested_id_without_test_is_reported():
    _, problems = find_problems(DOC, set())
    assert problems == ["T-A1 is marked tested but no test_T_A1_… exists"]


def test_pending_id_with_a_test_and_unknown_ids_are_reported():
    _, problems = find_problems(DOC, {"T-A1", "T-B1", "T-Z9"})
    assert problems == [
        "T-B1 has a test: mark it tested in docs/threats.md",
        "T-Z9 has a test but no row in docs/threats.md",
    ]


def test_test_names_are_found_in_test_files(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "tests").mkdir()
    (tmp_path / "src" / "test_x.py").write_text(
        'def test_T_C6_eicar_is_refused():\n    assert "def test_T_B1_in_a_string():"\n'
    )
    (tmp_path / "tests" / "helper.py").write_text("def test_T_A1_not_a_test_file():\n    pass\n")
    assert ids_with_tests(tmp_path) == {"T-C6"}
