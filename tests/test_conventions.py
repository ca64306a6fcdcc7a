"""The README's "one way to write", checked: no code of the portal commits a session itself.
A change runs inside database.write_transaction(); a page that only reads commits its audit
row with audit.commit_read(). Nothing else calls `session.commit()`."""

import ast
from pathlib import Path

PORTAL = Path(__file__).resolve().parent.parent / "portal"

# (file under portal/, function) where a commit is the mechanism itself.
ALLOWED = {
    ("database.py", "write_transaction"),  # ends the read transaction before BEGIN IMMEDIATE
    ("database.py", "_committed"),
    ("auth/audit.py", "commit_read"),  # a read's audit row: no change to wrap
}


def commits(source: str) -> list[tuple[str, int]]:
    """(enclosing function, line) of each `….commit()` called on a session."""
    found = []

    def visit(node: ast.AST, function: str) -> None:
        for child in ast.iter_child_nodes(node):
            inner = function
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                inner = child.name
            if (
                isinstance(child, ast.Call)
                and isinstance(child.func, ast.Attribute)
                and child.func.attr == "commit"
                and _is_session(child.func.value)
            ):
                found.append((function, child.lineno))
            visit(child, inner)

    visit(ast.parse(source), "<module>")
    return found


def _is_session(node: ast.expr) -> bool:
    """`session`, `db.session`, `db.session()` and the like."""
    if isinstance(node, ast.Call):
        node = node.func
    name = node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", "")
    return "session" in name.lower()


def test_no_commit_outside_write_transaction():
    stray = [
        f"{path.relative_to(PORTAL)}:{line} in {function}()"
        for path in sorted(PORTAL.rglob("*.py"))
        for function, line in commits(path.read_text(encoding="utf-8"))
        if (path.relative_to(PORTAL).as_posix(), function) not in ALLOWED
    ]
    assert not stray, "run the change in write_transaction() instead: " + ", ".join(stray)


def test_the_check_sees_each_form_of_commit():
    source = """
def view():
    db.session.commit()

def other():
    session = db.session()
    session.commit()
    db.session().commit()
    form.commit()
"""
    assert commits(source) == [("view", 3), ("other", 7), ("other", 8)]
