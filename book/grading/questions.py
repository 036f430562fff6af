"""A lab's questions: otter's OK-format test files, read into plain data (by ``book.checker``,
which students' notebooks use too)."""

from ..checker import Question, TestCase, load_questions

__all__ = ["Question", "TestCase", "load_questions"]
