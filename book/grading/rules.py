"""Rules on how a lab is answered, checked on the submitted notebook's text.

Several labs ask for answers in NumPy only (``NUMPY_ONLY_LABS``): the point is to write the
layer, not to call one. A test cannot tell from a function's results whether it called
``torch.nn.functional.conv2d``, and whatever the student's kernel says about its own functions
could be forged, so the rule is checked on the notebook's source, which the grader holds: each
answer (a name the question's solution cells define), and every function or value of the notebook
it refers to, must not refer to a module of ``FORBIDDEN_MODULES``, import one, or import anything
by name at run time. What the lab itself gives (its cells as they stand in the student version)
may be used.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

import nbformat

from .. import project
from .assign import solution_answers

# Labs whose text says: "Your answers must use NumPy only".
NUMPY_ONLY_LABS = frozenset({"batch_norm", "convolution", "lstm_cell", "optimizers", "rbm_cd1", "rnn_bptt",
                             "two_layer_backprop"})

FORBIDDEN_MODULES = {"torch": "PyTorch", "tensorflow": "TensorFlow", "keras": "Keras", "jax": "JAX",
                     "book": "the book's own code"}
_DYNAMIC_IMPORTS = {"__import__", "importlib", "import_module"}


@dataclass(frozen=True)
class Violation:
    """An answer that reaches a forbidden module: through which name, where."""

    answer: str
    module: str
    cell: int
    line: int

    def message(self) -> str:
        what = FORBIDDEN_MODULES.get(self.module, "a module imported by name at run time")
        return (f"`{self.answer}` uses {what} (`{self.module}`, cell {self.cell}, line {self.line}); "
                "this lab's answers must use NumPy only")


@dataclass(frozen=True)
class NumpyOnly:
    """The NumPy-only rule of one lab: each question's answers, and the cells the lab gives."""

    answers: dict[str, frozenset[str]]
    given: frozenset[str]

    @classmethod
    def of_lab(cls, lab: str) -> "NumpyOnly | None":
        """The lab's rule, or None for a lab without it."""
        if lab not in NUMPY_ONLY_LABS:
            return None
        student = nbformat.read(project.LABS / lab / f"{lab}.ipynb", as_version=4)
        given = frozenset(cell.source.strip() for cell in student.cells if cell.cell_type == "code"
                          and "otter_answer_cell" not in cell.metadata.get("tags", []))
        return cls(answer_names(lab), given)

    def violations(self, notebook) -> dict[str, Violation]:
        """The first violation of the rule for each question that has one."""
        return numpy_only_violations(notebook, self.answers, self.given)


def answer_names(lab: str) -> dict[str, frozenset[str]]:
    """The names each question's solution cells define at top level (functions, classes, values)."""
    names: dict[str, set[str]] = {}
    for question, code in solution_answers(lab):
        names.setdefault(question, set()).update(_definitions(_parse(code)))
    return {question: frozenset(defined) for question, defined in names.items()}


def answer_definitions(code: str) -> list[str]:
    """The top-level names a cell's code binds."""
    return list(_definitions(_parse(code)))


def _parse(source: str) -> ast.Module:
    try:
        return ast.parse(source)
    except SyntaxError:  # IPython magics, or a cell the student broke: it defines nothing
        return ast.Module(body=[], type_ignores=[])


def _definitions(tree: ast.Module) -> dict[str, ast.AST]:
    """Top-level names a cell binds, each with the statement that binds it."""
    found: dict[str, ast.AST] = {}
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            found[node.name] = node
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                found.update({name.id: node for name in ast.walk(target) if isinstance(name, ast.Name)})
    return found


def _imported_modules(node: ast.AST) -> dict[str, str]:
    """The names an import binds, each with the top-level module it comes from."""
    if isinstance(node, ast.Import):
        return {(alias.asname or alias.name).split(".")[0]: alias.name.split(".")[0] for alias in node.names}
    if isinstance(node, ast.ImportFrom) and node.module and not node.level:
        return {alias.asname or alias.name: node.module.split(".")[0] for alias in node.names}
    return {}


def _local_names(statement: ast.AST) -> set[str]:
    """Names local to a function or class (its parameters and what it binds): they do not refer to
    the notebook's names. (Nested scopes are counted as one, which errs towards local.)"""
    if not isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
        return set()
    local = set()
    for node in ast.walk(statement):
        if isinstance(node, ast.arg):
            local.add(node.arg)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            local.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node is not statement:
            local.add(node.name)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            local.add(node.name)
        local |= set(_imported_modules(node))
    return local


def numpy_only_violations(notebook, answers: dict[str, frozenset[str]],
                          given: frozenset[str] = frozenset()) -> dict[str, Violation]:
    """The first violation of the NumPy-only rule for each question that has one; the definitions
    in cells whose text is in ``given`` (the lab's own) are allowed."""
    modules: dict[str, str] = {}  # names bound by imports anywhere in the notebook
    definitions: dict[str, list[tuple[int, ast.AST]]] = {}
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code":
            continue
        tree = _parse(cell.source)
        for node in ast.walk(tree):
            modules.update(_imported_modules(node))
        if cell.source.strip() not in given:
            for name, node in _definitions(tree).items():
                definitions.setdefault(name, []).append((index, node))

    def first_violation(answer: str) -> Violation | None:
        seen, waiting = set(), [answer]
        while waiting:
            name = waiting.pop()
            if name in seen:
                continue
            seen.add(name)
            for index, statement in definitions.get(name, []):
                local = _local_names(statement)
                for node in ast.walk(statement):
                    for module in _imported_modules(node).values():
                        if module in FORBIDDEN_MODULES or module == "importlib":
                            return Violation(answer, module, index, node.lineno)
                    used = node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else None
                    if used in _DYNAMIC_IMPORTS:
                        return Violation(answer, used, index, node.lineno)
                    if not isinstance(node, ast.Name) or used in local:
                        continue
                    if modules.get(used) in FORBIDDEN_MODULES:
                        return Violation(answer, modules[used], index, node.lineno)
                    if used in definitions:  # a function or value of the notebook: what it uses counts too
                        waiting.append(used)
        return None

    found = {}
    for question, names in answers.items():
        violation = next(filter(None, (first_violation(name) for name in sorted(names))), None)
        if violation:
            found[question] = violation
    return found
