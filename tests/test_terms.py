"""One Chinese term per concept: every bolded `**term (中文)**` in the book matches the glossary.

The chapters and the lab texts bold a key term at its first use as `**term (中文)**`, optionally
with an abbreviation, `**term (中文, ABBR)**`. The glossary (`glossary.md`) lists each concept
once as `term (中文)` followed by an indented one-line definition. These tests read the markdown
only (no notebook is executed):

- every bolded pair in a chapter or a lab names a glossary term, with the glossary's Chinese;
- the glossary gives one Chinese term per English term, and does not give one Chinese term to
  two concepts unless one entry declares the other a synonym ("Another name for X ...");
- every glossary entry has the form `term (中文)` and a definition.

Matching is deliberately small: English terms are compared case-insensitively with runs of
spaces collapsed, and a plural in the text matches a singular entry (see `singulars`). The
Chinese must be the same string. An abbreviation is written after a comma, either on the English
side (`stochastic gradient descent, SGD (随机梯度下降)`) or inside the parentheses
(`(随机梯度下降, SGD)`); the text may give it or leave it out, but it must agree with the glossary.
"""

import json
import re
from collections import defaultdict
from pathlib import Path

import pytest

# Paths only: importing `book` would load the plotting and framework stack for nothing.
ROOT = Path(__file__).resolve().parent.parent
GLOSSARY = ROOT / "glossary.md"

HAN = r"[\u4e00-\u9fff]"
# `**English (…中文…)**`, possibly wrapped over lines: the parentheses must hold at least one
# Chinese character, and the term starts right after the opening `**` (not after a closing one).
BOLD_PAIR = re.compile(r"\*\*([^\s*()][^*()]{0,79}?)\s\(([^()]*" + HAN + r"[^()]*)\)\*\*")
CODE_CELL = re.compile(r"^```\{code-cell\}.*?^```[ \t]*$", re.S | re.M)
GLOSSARY_BLOCK = re.compile(r"^```\{glossary\}[ \t]*\n(.*?)^```[ \t]*$", re.S | re.M)
ENTRY = re.compile(r"^(?P<english>[^\s(][^()]*?)(?: \((?P<chinese>[^()]+)\))?$")
SYNONYM = re.compile(r"^Another name for (?:the |an? )?(?P<term>[^:;,.]+)")


def normalise(english: str) -> str:
    return " ".join(english.lower().split())


def singulars(english: str) -> list[str]:
    """The term itself, then what its last word could be if it is an English plural."""
    term = normalise(english)
    candidates = [term]
    if term.endswith("ies"):
        candidates.append(term[:-3] + "y")
    if term.endswith("es"):
        candidates.append(term[:-2])
    if term.endswith("s"):
        candidates.append(term[:-1])
    return candidates


def split_abbreviation(text: str) -> tuple[str, str | None]:
    """`'卷积神经网络, CNN'` -> `('卷积神经网络', 'CNN')`; an extra part with Chinese is not allowed."""
    main, _, rest = text.partition(",")
    return main.strip(), (rest.strip() or None)


def is_abbreviation(text: str | None) -> bool:
    return text is None or (re.search(HAN, text) is None and len(text.split()) <= 2)


def parse_glossary(text: str):
    """Entries as dicts (line, english, abbreviation, chinese, definition), and format problems."""
    entries, problems = [], []
    for block in GLOSSARY_BLOCK.finditer(text):
        first_line = text[: block.start(1)].count("\n") + 1
        lines = block.group(1).split("\n")
        for offset, line in enumerate(lines):
            if not line.strip() or line.startswith(" ") or line.startswith(":"):
                continue
            where = f"glossary.md:{first_line + offset}"
            match = ENTRY.match(line.rstrip())
            definition = lines[offset + 1] if offset + 1 < len(lines) else ""
            if not definition.startswith("  ") or not definition.strip():
                problems.append(f"{where}: {line!r} is not followed by an indented definition")
            if not match or not match["chinese"] or not re.search(HAN, match["chinese"]):
                problems.append(f"{where}: {line!r} is not `term (中文)`")
                continue
            english, english_abbr = split_abbreviation(match["english"])
            chinese, chinese_abbr = split_abbreviation(match["chinese"])
            for abbreviation in (english_abbr, chinese_abbr):
                if not is_abbreviation(abbreviation):
                    problems.append(f"{where}: {line!r} gives more than one term ({abbreviation!r})")
            if english_abbr and chinese_abbr and english_abbr != chinese_abbr:
                problems.append(f"{where}: {line!r} gives two abbreviations")
            entries.append(
                dict(
                    where=where,
                    english=normalise(english),
                    abbreviation=english_abbr or chinese_abbr,
                    chinese=chinese,
                    definition=definition.strip(),
                )
            )
    return entries, problems


def book_texts():
    """(file, markdown) for every chapter and for the markdown cells of every lab's solution."""
    for source in sorted((ROOT / "chapters").glob("*/*.md")):
        yield source.relative_to(ROOT), CODE_CELL.sub("", source.read_text(encoding="utf-8"))
    for notebook in sorted((ROOT / "solutions").glob("*/*.ipynb")):
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        markdown = "\n\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
        yield notebook.relative_to(ROOT), markdown


def bolded_pairs(markdown: str):
    for match in BOLD_PAIR.finditer(markdown):
        # A line break inside the Chinese is not part of the term; inside the English it is a space.
        chinese, abbreviation = split_abbreviation(re.sub(r"\s*\n\s*", "", match[2]))
        yield " ".join(match[1].split()), chinese, abbreviation


ENTRIES, FORMAT_PROBLEMS = parse_glossary(GLOSSARY.read_text(encoding="utf-8"))
BY_ENGLISH = defaultdict(list)
for _entry in ENTRIES:
    BY_ENGLISH[_entry["english"]].append(_entry)
# The text may bold a term by its abbreviation alone, e.g. `**mini-batch SGD (小批量随机梯度下降)**`.
BY_ABBREVIATION = {e["abbreviation"].lower(): e for e in ENTRIES if e["abbreviation"]}
TEXTS = list(book_texts())


def test_the_survey_finds_the_glossary_and_the_texts():
    assert len(ENTRIES) > 100
    assert any(str(path).startswith("chapters/") for path, _ in TEXTS)
    assert any(str(path).startswith("solutions/") for path, _ in TEXTS)


def test_bold_pair_pattern():
    text = "A **convolutional neural\n  network (卷积神经网络, CNN)**, **bold** text (not a term)** and **逐像素\n分类**."
    found = list(bolded_pairs(text))
    assert found == [("convolutional neural network", "卷积神经网络", "CNN")]
    assert singulars("Feature  maps")[-1] == "feature map"
    assert "attention weights" in singulars("attention weights")


def test_glossary_parser_on_a_sample():
    sample = (
        "```{glossary}\n:sorted:\nstochastic gradient descent, SGD (随机梯度下降)\n  One example per step.\n\n"
        "feature learning (特征学习)\n  Another name for representation learning: features from data.\n\n"
        "momentum (动量, also 动量法)\n  Two Chinese terms.\n\nim2col\n  No Chinese.\n"
        "epoch (迭代周期)\n```\n"
    )
    entries, problems = parse_glossary(sample)
    assert [(e["english"], e["abbreviation"], e["chinese"]) for e in entries[:2]] == [
        ("stochastic gradient descent", "SGD", "随机梯度下降"),
        ("feature learning", None, "特征学习"),
    ]
    assert SYNONYM.match(entries[1]["definition"])["term"] == "representation learning"
    assert len(problems) == 3, problems  # two Chinese terms, no Chinese, no definition


def test_glossary_entries_have_the_house_format():
    if FORMAT_PROBLEMS:
        pytest.fail("\n".join(FORMAT_PROBLEMS), pytrace=False)


def test_glossary_gives_one_chinese_term_per_english_term():
    clashes = [
        f"{english}: " + ", ".join(f"{e['chinese']} ({e['where']})" for e in entries)
        for english, entries in BY_ENGLISH.items()
        if len(entries) > 1
    ]
    if clashes:
        pytest.fail("\n".join(clashes), pytrace=False)


def test_glossary_abbreviations_are_unique():
    seen = defaultdict(set)
    for entry in ENTRIES:
        if entry["abbreviation"]:
            seen[entry["abbreviation"].lower()].add(entry["english"])
    clashes = [f"{abbreviation}: {sorted(terms)}" for abbreviation, terms in seen.items() if len(terms) > 1]
    if clashes:
        pytest.fail("\n".join(clashes), pytrace=False)


def declared_synonyms() -> set[frozenset]:
    pairs = set()
    for entry in ENTRIES:
        match = SYNONYM.match(entry["definition"])
        if match:
            pairs.add(frozenset({entry["english"], normalise(match["term"])}))
    return pairs


def test_glossary_gives_each_chinese_term_to_one_concept():
    by_chinese = defaultdict(set)
    for entry in ENTRIES:
        by_chinese[entry["chinese"]].add(entry["english"])
    synonyms = declared_synonyms()
    clashes = [
        f"{chinese}: {sorted(terms)}"
        for chinese, terms in by_chinese.items()
        if len(terms) > 1
        and any(frozenset({a, b}) not in synonyms for a in terms for b in terms if a < b)
    ]
    if clashes:
        pytest.fail("one Chinese term for several concepts:\n" + "\n".join(clashes), pytrace=False)


def mismatches(path, markdown) -> list[str]:
    problems = []
    for english, chinese, abbreviation in bolded_pairs(markdown):
        entry = next((BY_ENGLISH[t][0] for t in singulars(english) if t in BY_ENGLISH), None)
        entry = entry or next((BY_ABBREVIATION[t] for t in singulars(english) if t in BY_ABBREVIATION), None)
        if entry is None:
            problems.append(f"{path}: **{english}** ({chinese}) is not in the glossary")
        elif chinese != entry["chinese"]:
            problems.append(
                f"{path}: **{english}** text has {chinese}, glossary has {entry['chinese']}"
            )
        elif abbreviation and abbreviation != entry["abbreviation"]:
            problems.append(
                f"{path}: **{english}** text abbreviates it {abbreviation}, "
                f"glossary {entry['abbreviation']}"
            )
    return problems


@pytest.mark.parametrize("path, markdown", TEXTS, ids=[str(path) for path, _ in TEXTS])
def test_bolded_terms_match_the_glossary(path, markdown):
    problems = mismatches(path, markdown)
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)
