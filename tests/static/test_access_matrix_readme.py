"""The README's access matrix is the one the Odoo tests check (issue 14).

Odoo-free: ``aftersales_service/tests/access_matrix.py`` is plain data, imported
here by path (importing the addon's package would import Odoo).
"""

import importlib.util

from .addons import ROOT

MATRIX_PATH = ROOT / "aftersales_service" / "tests" / "access_matrix.py"


def _matrix():
    spec = importlib.util.spec_from_file_location("aftersales_access_matrix", MATRIX_PATH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_readme_table_is_the_rendered_matrix():
    matrix = _matrix()
    block = matrix.readme_block((ROOT / "README.md").read_text(encoding="utf-8"))
    assert block is not None, "README.md has no generated access matrix block"
    assert block == matrix.render_markdown(), (
        "README.md's access matrix differs from aftersales_service/tests/access_matrix.py: "
        "run python3 aftersales_service/tests/access_matrix.py --update README.md"
    )


def test_matrix_is_complete_and_well_formed():
    matrix = _matrix()
    for model, (reference, cells) in matrix.CRUD.items():
        assert reference, model
        assert set(cells) == set(matrix.ROLE_KEYS), model
        bad = {role: cell for role, cell in cells.items() if not matrix.CELL.match(cell)}
        assert not bad, f"{model}: cells not of the form rcwu/----: {bad}"
    assert set(matrix.WIZARDS) <= set(matrix.CRUD)
    assert set(matrix.SQL_VIEWS) <= set(matrix.CRUD)
    for model in matrix.SQL_VIEWS:
        assert all(cell[1:] == "---" for cell in matrix.CRUD[model][1].values()), model
    for label, policy, allowed in matrix.ACTIONS.values():
        assert label and policy and allowed <= set(matrix.ROLE_KEYS), label
    for role, model, operation in matrix.KNOWN_GAPS:
        assert role in matrix.ROLES and model in matrix.CRUD and operation in matrix.OPERATIONS
    for model, protected in matrix.PROTECTED.items():
        assert model in matrix.CRUD and protected, model
        assert set(protected.values()) <= set(matrix.GROUP_LABELS), model
    assert set(matrix.PROTECTED_VALUES) <= set(matrix.CRUD)


def test_portal_public_and_company_b_see_nothing_they_should_not():
    """The Roles table's promises, on the data itself: customers create nothing
    directly and read only their own; the public and another company's user see
    nothing of company A (shared, company-less configuration aside)."""
    matrix = _matrix()
    shared = {model for model, (reference, _cells) in matrix.CRUD.items() if "shared" in reference}
    for model, (_reference, cells) in matrix.CRUD.items():
        assert cells["public"] == "----", model
        assert cells["portal_a"][1:] == "---", model
        assert cells["portal_b"][1:] == "---", model
        if model not in shared:
            assert cells["company_b"] == "----", model
            assert cells["portal_b"] == "----", model
    # A technician of team 2 does not see team 1's cases.
    for model in (
        "aftersales.ticket",
        "repair.order",
        "aftersales.callback",
        "aftersales.work.entry",
    ):
        assert matrix.CRUD[model][1]["tech2"] == "----", model
