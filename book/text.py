"""Text for the recurrent-network chapters: three corpora, a tokeniser, a vocabulary, and the
batches a language model trains on.

The corpora come from Debian packages that ``./textbook setup`` installs; nothing is downloaded.

=======================  ==================  ===================================================
loader                   Debian package      text
=======================  ==================  ===================================================
``tang_poems()``         ``fortunes-zh``     唐诗三百首, the 313 poems of *Three Hundred Tang Poems*
``chinese_fortunes()``   ``fortunes-zh``     about 5,000 Chinese sayings, classical quotations,
                                             poems and chat-room jokes
``python_docs()``        ``python3.11-doc``  Python's tutorial, FAQ and language reference
                                             (reStructuredText sources, in English)
=======================  ==================  ===================================================

Files are looked for where :mod:`book.data` looks for images: ``$BOOK_DATA_DIR`` (or
``$BOOK_DATA_DIR/<corpus name>``), the user cache ``~/.cache/dl-textbook/<corpus name>``, then the
package's folder. Every file is checked against the SHA-256 recorded here, so the numbers a chapter
prints are the numbers every reader gets.

From text to training data::

    corpus = tang_poems()                  # corpus.train, .validation and .test are strings
    tokens = tokenize(corpus.train)        # characters; level="word" for English words
    vocabulary = Vocabulary(tokens)
    ids = vocabulary.encode(tokens)
    for X, Y in sequence_batches(ids, batch_size=32, num_steps=35):
        ...                                # Y[:, t] is the token that follows X[:, t]
"""

from __future__ import annotations

import hashlib
import os
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Callable, Iterable, Iterator, Sequence

import numpy as np

from .data import ChecksumError, DataNotFoundError, search_dirs

__all__ = [
    "CorpusFormatError",
    "CorpusSpec",
    "TextCorpus",
    "TANG_POEMS",
    "CHINESE_FORTUNES",
    "PYTHON_DOCS",
    "CORPORA",
    "load_corpus",
    "read_documents",
    "tang_poems",
    "chinese_fortunes",
    "python_docs",
    "find_corpus_files",
    "split_documents",
    "tokenize",
    "Vocabulary",
    "sequence_batches",
]


class CorpusFormatError(ValueError):
    """A corpus file is not laid out the way its parser expects."""


# ---------------------------------------------------------------------------------------------
# Turning a file into documents
# ---------------------------------------------------------------------------------------------

# fortune(6) files colour their titles and attributions with terminal escape codes.
_TERMINAL_COLOUR = re.compile(r"\x1b\[[0-9;]*m")
_FORTUNE_SEPARATOR = re.compile(r"^%$\n?", re.MULTILINE)  # a line holding only "%"
_BOX_DRAWING = re.compile("[\u2500-\u257f]")


def fortune_entries(text: str) -> list[str]:
    """The entries of a fortune file, without colour codes (entries are separated by ``%`` lines)."""
    # A few codes in `chinese` have another one nested inside ("\x1b[;\x1b[34;1mm"): removing
    # the inner one completes the outer, so remove until none is left.
    removed = 1
    while removed:
        text, removed = _TERMINAL_COLOUR.subn("", text)
    return [entry for entry in _FORTUNE_SEPARATOR.split(text) if entry.strip()]


def tang_poem_documents(text: str) -> list[str]:
    """One document per poem: its verses on one line, without title, author or any whitespace.

    Each entry of ``tang300`` is a title line 《…》, an author line 作者：…, then the verses, one
    couplet a line. The verses already end in ， 。 ？ ！, so joining them loses nothing, and it also
    mends the few prefaces (并序) that the file wraps in the middle of a sentence.
    """
    poems = []
    for number, entry in enumerate(fortune_entries(text), start=1):
        lines = entry.strip().split("\n")
        if len(lines) < 3 or not lines[0].startswith("《") or not lines[1].startswith("作者："):
            raise CorpusFormatError(
                f"entry {number} is not a title line, an author line and verses: {entry[:60]!r}")
        poems.append("".join("".join(lines[2:]).split()))
    return poems


def fortune_documents(text: str) -> list[str]:
    """One document per fortune, with whitespace tidied and the box-drawn tables left out.

    Inside an entry every run of whitespace (including the many no-break spaces and indents)
    becomes one space, and blank lines go, so a document is a block of non-empty lines. The
    attribution line such as ``--《论语》`` stays: it is part of how a fortune reads. Entries
    drawn with box characters (┌─┐, tables copied from the Debian reference manual, about 45 %
    of the raw file) are dropped: they are mostly lines and padding, which a character model
    would spend its capacity copying.
    """
    documents = []
    for entry in fortune_entries(text):
        if _BOX_DRAWING.search(entry):
            continue
        lines = (" ".join(line.split()) for line in entry.split("\n"))
        documents.append("\n".join(line for line in lines if line))
    return documents


# A section title's over- or underline in reStructuredText: one punctuation character, repeated.
_HEADING_ADORNMENT = re.compile(r"^([^\w\s])\1{2,}$")
_DIRECTIVE_OPTION = re.compile(r":[\w-]+:(\s|$)")  # e.g. ":noindex:" under ".. method:: f()"
# Inline markup, each replaced by the text a reader sees: ``literal``; :role:`text` and
# :role:`text <target>` (a leading ~ or ! only changes the link); `text <url>`_ and `text`_;
# and `interpreted text`.
_INLINE_MARKUP = (
    (re.compile(r"``(.+?)``", re.DOTALL), r"\1"),
    (re.compile(r":[\w.+-]+(?::[\w.+-]+)*:`[~!]?([^`]*?)(?:\s*<[^`<>]*>)?`"), r"\1"),
    (re.compile(r"`([^`]*?)(?:\s*<[^`<>]*>)?`__?"), r"\1"),
    (re.compile(r"`([^`]+)`"), r"\1"),
)


def strip_inline_markup(text: str) -> str:
    """reStructuredText's inline markup replaced by the text it shows (``x`` → x, :meth:`f` → f)."""
    for pattern, replacement in _INLINE_MARKUP:
        text = pattern.sub(replacement, text)
    return text


def rest_documents(text: str) -> list[str]:
    """One document per section of a reStructuredText file, without the markup that is not text.

    A section starts at its title, so the files, which range from 1,000 to 130,000 characters,
    become a few hundred documents of a few thousand, and a split by documents can come close to
    the fractions it is asked for.

    Removed: explicit-markup lines (those starting, maybe after indentation, with ``.. ``: labels,
    comments, directive lines such as ``.. note::``), the options indented under a directive
    (``:noindex:``) and the entries indented under ``.. index::``; the lines drawn under and over
    section titles (``=====``); trailing spaces, and blank lines beyond one in a row. Inline
    markup is replaced by the text it shows (:func:`strip_inline_markup`). Everything else stays,
    code examples included.
    """
    sections: list[list[str]] = [[]]
    markup_indent = None  # indentation of the markup line just dropped, while its options follow
    in_index = False
    for line in text.splitlines():
        line = line.rstrip()
        content = line.lstrip()
        indent = len(line) - len(content)
        if (markup_indent is not None and content and indent > markup_indent
                and (in_index or _DIRECTIVE_OPTION.match(content))):
            continue
        if content.startswith(".. "):  # directives also nest, indented, inside others
            markup_indent, in_index = indent, content.startswith(".. index::")
            continue
        markup_indent = None
        if _HEADING_ADORNMENT.match(line):
            current = sections[-1]
            if current and current[-1]:  # an underline: the line above is a title, which opens a section
                sections.append([current.pop()])
            continue
        current = sections[-1]
        if line or (current and current[-1]):
            current.append(line)
    documents = (strip_inline_markup("\n".join(lines)).strip("\n") for lines in sections)
    return [document for document in documents if document]


# ---------------------------------------------------------------------------------------------
# What each corpus is made of
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CorpusSpec:
    """A corpus: its files with their checksums, how a file becomes documents, and its size.

    ``documents`` and ``characters`` are what :func:`load_corpus` finds in the verified files
    (after cleaning and dropping repeated documents, before splitting); ``tests/test_corpus.py``
    checks them, so a change to the cleaning shows up as a change of these numbers.
    """

    name: str  # the folder name under $BOOK_DATA_DIR and in the user cache
    files: dict[str, str]  # path relative to the folder → SHA-256 of the file's bytes
    to_documents: Callable[[str], list[str]]
    separator: str  # what goes between two documents in TextCorpus.train and the others
    documents: int
    characters: int
    debian_package: str  # name and the version whose files the checksums are of
    system_dirs: tuple[Path, ...] = ()

    @property
    def package_name(self) -> str:
        return self.debian_package.split()[0]


_FORTUNES = (Path("/usr/share/games/fortunes"),)
_PYTHON_DOC_SOURCES = (Path("/usr/share/doc/python3.11/html/_sources"),)

TANG_POEMS = CorpusSpec(
    name="tang-poems",
    files={"tang300": "b69cab0cb84c49dc1808d95aea7156c8911a7022ec630e194eecf360b78feff5"},
    to_documents=tang_poem_documents,
    separator="\n",  # one poem a line
    documents=313,
    characters=23_080,
    debian_package="fortunes-zh 2.98",
    system_dirs=_FORTUNES,
)

CHINESE_FORTUNES = CorpusSpec(
    name="chinese-fortunes",
    files={"chinese": "282c8d2d636e7dac0d54f6c4f25c6a22e5a0ac2d2ffa1f53ca994717d69e5ff7"},
    to_documents=fortune_documents,
    separator="\n\n",  # a blank line, which no cleaned fortune contains
    documents=5006,
    characters=449_468,
    debian_package="fortunes-zh 2.98",
    system_dirs=_FORTUNES,
)

# The tutorial, FAQ and language reference, without their index pages (tables of contents).
# Their sources are identical in python3.11-doc 3.11.2-6+deb12u8 and +deb12u9, whereas security
# updates do change pages of the library reference, which is why library/ is not used.
PYTHON_DOCS = CorpusSpec(
    name="python-docs",
    files={
        "tutorial/appendix.rst.txt": "4b37b1ac53b9fa09d906f83231d1128601123efe48f472328f82070bbfb37c58",
        "tutorial/appetite.rst.txt": "c5766ddd864601b50b54a1882f2fbec67945d421339ddea67cd545d3b0ffad55",
        "tutorial/classes.rst.txt": "fcc51a37151c81dca21429e80ea9df8f765d5716c545fe48393ce540c5102011",
        "tutorial/controlflow.rst.txt": "af29bbe7cfd06dc82c1824af9d5c6a377166babce18723a94ed30241e0bd53cb",
        "tutorial/datastructures.rst.txt": "4461bb4d6ae440513d9ed4062a15564bbc9395b7940a809de29a07ce256fc1b4",
        "tutorial/errors.rst.txt": "c2c7886e5cdbeb195ee0d336182d9b35feaede3c865097cfb55c9ea5bf56ed8e",
        "tutorial/floatingpoint.rst.txt": "4a0599f27489e8ea4b74a0c26694dfe9b0f777847fe95ed38bad3f63944c8248",
        "tutorial/inputoutput.rst.txt": "e6e3aebb6fe5cd0976829d222dd4ff27d50bf6436d9fd73fa9622378b58f39f7",
        "tutorial/interactive.rst.txt": "07af57803d21b1674db8419cd5599f1be683a31b5586b609ae8cf8cf71c741af",
        "tutorial/interpreter.rst.txt": "0071fb2d468d1f45cb998a25398ef3abf72876f42080925c2e4dc920d3747078",
        "tutorial/introduction.rst.txt": "65ff507d1a8d54b28a56fc9f5e9d48da466f0a5a4168269ec9a89558d1a8bfc6",
        "tutorial/modules.rst.txt": "0455e1d738e86947c2fca6b20910ffd07a617530ca32b68f7a42e9d5aaf4210e",
        "tutorial/stdlib.rst.txt": "9c6d2e939180fcd5e4b149056e4280449f9ac1b7449cd171c2e021281e1357e8",
        "tutorial/stdlib2.rst.txt": "69559b583918ad4b48251fd84130c99b31a05d4f402120996ea5e09baefb5b93",
        "tutorial/venv.rst.txt": "a9c03b18e78d82a9ce83e2b9753e1920c2ff96d5b717cf48d8b90111a8e6db44",
        "tutorial/whatnow.rst.txt": "f2f4243d916a0403c405cfc74f643e715af121223b771fd620ff7361cfbeff38",
        "faq/design.rst.txt": "80227bd4d6acf61382886b874af33d7d04350f935fb4806b2fad09a129d0ec38",
        "faq/extending.rst.txt": "4c6f67c28b1936c31edf0f7b053489269f2f0d0a802727196338fb007f8ce2e7",
        "faq/general.rst.txt": "2e48b3bd8b4b4630f0973a8e712022c74dec582f6b54ec7d9ac18a083b1bb5fa",
        "faq/gui.rst.txt": "6ab47f21346cc83cb88b845c4d9f94f39d8e502d4eae073da4820a6f89b2a647",
        "faq/installed.rst.txt": "c204a8fe1873944f79fdc052aed8e3b1c15c40fe9dfe377e65c072a9303c54a2",
        "faq/library.rst.txt": "4b4ffa484acec02ad5c258532c370923a3e005ddbe1f37316a09d1a85790e679",
        "faq/programming.rst.txt": "7d60d4b4eec137f6762b92a073f027b1981f735d6c498d87809b9c01076fe720",
        "faq/windows.rst.txt": "fc614953032cd7f2e31ba19a63a8a012dcc034e56aa5b93fb866eb70c7e24d7d",
        "reference/compound_stmts.rst.txt": "13b5f3408ec9fa78bbd059341efbb8fa953a54c236790a797d7b302cbdb795f5",
        "reference/datamodel.rst.txt": "30b5716f667fa8a18a1e4cc932e28fc649f0b512753666d19aaa537ee5102cda",
        "reference/executionmodel.rst.txt": "ab55fc084458829971803bbdb2a954d8d78e73dbe0e665032dc7df70132038a1",
        "reference/expressions.rst.txt": "e0c2eb7697c494a67eee82373765192884769326739aef1ace49768dc8b8ebab",
        "reference/grammar.rst.txt": "964689684097433e70ef790f83d9db879dbfbc2328d26cba16e306f870b7734b",
        "reference/import.rst.txt": "9bf3146e6beffd7f6035f417af548d43e1b9b58c065dfe58a19b78dcdca46da3",
        "reference/introduction.rst.txt": "52fc164027acf7cc2309e17e3bdfef2dcaca60e3a887321ddb26329138f63bd5",
        "reference/lexical_analysis.rst.txt": "d21e890685983bc955f7d3e06d573259914e8aeb6839cce3f68b317aa5d52fac",
        "reference/simple_stmts.rst.txt": "17f06d96473cc3144322495126c833140d38ff7ed50305843696a39dd7c35722",
        "reference/toplevel_components.rst.txt": "53dac7a9998c8b62736472ecb48d2c4974a7e200c674078abf1db34b04c3ad90",
    },
    to_documents=rest_documents,
    separator="\n\n",  # sections hold blank lines too: TextCorpus.documents keeps them apart
    documents=531,
    characters=756_329,
    debian_package="python3.11-doc 3.11.2-6+deb12u9",
    system_dirs=_PYTHON_DOC_SOURCES,
)

CORPORA = {"tang_poems": TANG_POEMS, "chinese_fortunes": CHINESE_FORTUNES, "python_docs": PYTHON_DOCS}


# ---------------------------------------------------------------------------------------------
# Finding, checking and reading the files
# ---------------------------------------------------------------------------------------------


def find_corpus_files(corpus: CorpusSpec, data_dir: str | os.PathLike | None = None) -> dict[str, Path] | None:
    """The corpus's files from the first searched folder that holds all of them, or ``None``."""
    for folder in search_dirs(corpus, data_dir):
        paths = {relative: folder / relative for relative in corpus.files}
        if all(path.is_file() for path in paths.values()):
            return paths
    return None


def _missing_message(corpus: CorpusSpec, data_dir: str | os.PathLike | None) -> str:
    names = list(corpus.files)
    wanted = ", ".join(names) if len(names) <= 3 else f"{len(names)} files ({', '.join(names[:2])}, …)"
    folders = "\n".join(f"  - {folder}" for folder in search_dirs(corpus, data_dir))
    return "\n".join([
        f"The {corpus.name} corpus was not found. Looked for {wanted} in:",
        folders,
        "Ways to get it:",
        f"  - run ./textbook setup, which installs the Debian package {corpus.package_name} "
        f"(or: sudo apt-get install {corpus.package_name})",
        f"  - copy the files, keeping their relative paths, from a machine that has {corpus.package_name} "
        "into a folder and set BOOK_DATA_DIR to it",
    ])


def _read_text(path: Path, expected_sha256: str, corpus: CorpusSpec, verify: bool) -> str:
    raw = path.read_bytes()
    if verify:
        digest = hashlib.sha256(raw).hexdigest()
        if digest != expected_sha256:
            raise ChecksumError(
                f"{path}: SHA-256 is {digest}, expected {expected_sha256} (the file of {corpus.debian_package}). "
                f"The file is damaged or from another version of the package: reinstall it "
                f"(sudo apt-get install --reinstall {corpus.package_name}), or pass verify=False to "
                "use it anyway, knowing that the chapters' numbers may then differ."
            )
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise CorpusFormatError(f"{path}: not UTF-8 text ({error}).") from error


# ---------------------------------------------------------------------------------------------
# Loading and splitting
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, repr=False)
class TextCorpus:
    """A corpus split three ways by whole documents (poems, fortunes, sections of the docs).

    ``train``, ``validation`` and ``test`` are the documents of each part joined with
    ``separator``; ``documents[part]`` holds them one by one, in the same order. No document is
    in two parts, so validation and test text is text a model has not trained on.
    """

    name: str
    train: str
    validation: str
    test: str
    documents: dict[str, tuple[str, ...]]
    separator: str

    def __repr__(self) -> str:  # the default would print a million characters
        parts = ", ".join(
            f"{part} {len(self.documents[part])} documents / {len(getattr(self, part)):,} characters"
            for part in ("train", "validation", "test")
        )
        return f"TextCorpus({self.name!r}: {parts})"


def split_documents(
    documents: Sequence[str], validation_fraction: float = 0.1, test_fraction: float = 0.1, *, seed: int = 0
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Indices of the training, validation and test documents, each in increasing order.

    The documents are shuffled with ``numpy.random.default_rng(seed)``; the first ones, until
    they hold at least ``test_fraction`` of all characters, become the test set, the next ones,
    until ``validation_fraction``, the validation set, and the rest the training set. Whole
    documents, so that no poem is half in training and half in test; measured in characters,
    so that one long document does not make a part much smaller than asked.
    """
    for name, fraction in (("validation_fraction", validation_fraction), ("test_fraction", test_fraction)):
        if not 0 <= fraction < 1:
            raise ValueError(f"{name} must be in [0, 1), got {fraction}.")
    if validation_fraction + test_fraction >= 1:
        raise ValueError("validation_fraction + test_fraction must leave some text for training.")
    lengths = np.array([len(document) for document in documents], dtype=np.int64)
    order = np.random.default_rng(seed).permutation(len(lengths))
    total = lengths.sum()
    held_out: list[np.ndarray] = []
    taken = 0
    for fraction in (test_fraction, validation_fraction):
        # Count of documents, from position `taken` in the shuffled order, needed to reach the share.
        cumulative = np.cumsum(lengths[order[taken:]])
        count = int(np.searchsorted(cumulative, fraction * total)) + 1 if fraction > 0 else 0
        held_out.append(order[taken: taken + count])
        taken += count
    train = order[taken:]
    if len(train) == 0:
        raise ValueError(f"{len(documents)} documents are too few to hold out these fractions and still train.")
    test, validation = held_out
    return np.sort(train), np.sort(validation), np.sort(test)


def _corpus_spec(corpus: CorpusSpec | str) -> CorpusSpec:
    if isinstance(corpus, CorpusSpec):
        return corpus
    key = corpus.replace("-", "_")
    if key not in CORPORA:
        raise ValueError(f"unknown corpus {corpus!r}; the corpora are {', '.join(CORPORA)}.")
    return CORPORA[key]


def read_documents(
    corpus: CorpusSpec | str, *, data_dir: str | os.PathLike | None = None, verify: bool = True
) -> list[str]:
    """All documents of the corpus, cleaned, in file order, each repeated document kept once."""
    spec = _corpus_spec(corpus)
    paths = find_corpus_files(spec, data_dir)
    if paths is None:
        raise DataNotFoundError(_missing_message(spec, data_dir))
    documents: list[str] = []
    for relative, path in paths.items():
        documents += spec.to_documents(_read_text(path, spec.files[relative], spec, verify))
    # A document that occurs twice could otherwise land in training and in test at once.
    return [document for document in dict.fromkeys(documents) if document]


def load_corpus(
    corpus: CorpusSpec | str,
    *,
    validation_fraction: float = 0.1,
    test_fraction: float = 0.1,
    seed: int = 0,
    data_dir: str | os.PathLike | None = None,
    verify: bool = True,
) -> TextCorpus:
    """Read, check and clean a corpus and split it by documents (see :func:`split_documents`):
    by default 80 % of the characters for training, 10 % each for validation and test.

    ``corpus`` is a :class:`CorpusSpec` or a name from :data:`CORPORA`. ``verify=False`` skips
    the SHA-256 check, for another version of the Debian package; the text is then what that
    version holds. Raises :class:`~book.data.DataNotFoundError` when the files are nowhere to be
    found and :class:`~book.data.ChecksumError` when a file is not the one recorded.
    """
    spec = _corpus_spec(corpus)
    documents = read_documents(spec, data_dir=data_dir, verify=verify)
    indices = split_documents(documents, validation_fraction, test_fraction, seed=seed)
    parts = {
        part: tuple(documents[i] for i in index)
        for part, index in zip(("train", "validation", "test"), indices)
    }
    return TextCorpus(
        name=spec.name,
        train=spec.separator.join(parts["train"]),
        validation=spec.separator.join(parts["validation"]),
        test=spec.separator.join(parts["test"]),
        documents=parts,
        separator=spec.separator,
    )


def tang_poems(**options) -> TextCorpus:
    """唐诗三百首: 313 poems, one a line, without titles and authors (:func:`tang_poem_documents`)."""
    return load_corpus(TANG_POEMS, **options)


def chinese_fortunes(**options) -> TextCorpus:
    """The Chinese fortunes of ``fortunes-zh``, without box-drawn tables (:func:`fortune_documents`)."""
    return load_corpus(CHINESE_FORTUNES, **options)


def python_docs(**options) -> TextCorpus:
    """Python 3.11's tutorial, FAQ and language reference, one document a section (:func:`rest_documents`)."""
    return load_corpus(PYTHON_DOCS, **options)


# ---------------------------------------------------------------------------------------------
# Tokens and vocabulary
# ---------------------------------------------------------------------------------------------

# A word is a run of letters, digits and underscores; any other visible character stands alone.
_WORD_OR_PUNCTUATION = re.compile(r"\w+|[^\w\s]")


def tokenize(text: str, level: str = "char") -> list[str]:
    """Split ``text`` into tokens.

    ``"char"``: every character, spaces and newlines included (for Chinese and for English).
    ``"word"``: for English; the text is lower-cased, then each word and each punctuation mark
    is a token and whitespace is dropped, so ``"Don't stop."`` gives
    ``["don", "'", "t", "stop", "."]``. (Chinese has no spaces between words: a whole clause
    would become one "word", so use ``"char"`` for it.)
    """
    if not isinstance(text, str):
        raise TypeError(f"tokenize takes a string, got {type(text).__name__}.")
    if level == "char":
        return list(text)
    if level == "word":
        return _WORD_OR_PUNCTUATION.findall(text.lower())
    raise ValueError(f"level must be 'char' or 'word', got {level!r}.")


class Vocabulary:
    """A numbering of tokens: ``<unk>`` is 0, then the reserved tokens, then the rest by frequency.

    Tokens seen fewer than ``min_freq`` times get no number of their own; they, and tokens never
    seen, encode as 0 (``<unk>``). Equally frequent tokens are numbered in sorted order, so the
    numbering depends only on the counts, not on where in the text a token first appears.
    """

    unknown_token = "<unk>"
    unknown_index = 0

    def __init__(self, tokens: Iterable[str], *, min_freq: int = 1, reserved: Sequence[str] = ()) -> None:
        if min_freq < 1:
            raise ValueError(f"min_freq must be at least 1, got {min_freq}.")
        if isinstance(reserved, str):
            raise TypeError(f"reserved must be a sequence of tokens, e.g. [{reserved!r}], not a string.")
        reserved = list(reserved)
        if self.unknown_token in reserved:
            raise ValueError(f"{self.unknown_token} is always index 0; do not list it in reserved.")
        if len(set(reserved)) != len(reserved):
            raise ValueError(f"reserved tokens repeat: {reserved}.")
        counts = Counter(tokens)
        for token in counts:
            if not isinstance(token, str):
                raise TypeError(f"tokens must be strings, got {token!r}.")
        #: (token, count) for every token counted, most common first.
        self.frequencies: tuple[tuple[str, int], ...] = tuple(
            sorted(counts.items(), key=lambda item: (-item[1], item[0])))
        special = {self.unknown_token, *reserved}
        frequent = [token for token, count in self.frequencies if count >= min_freq and token not in special]
        self.index_to_token: tuple[str, ...] = (self.unknown_token, *reserved, *frequent)
        self.token_to_index = MappingProxyType({token: index for index, token in enumerate(self.index_to_token)})

    def __len__(self) -> int:
        return len(self.index_to_token)

    def __contains__(self, token: object) -> bool:
        return token in self.token_to_index

    def __repr__(self) -> str:
        shown = ", ".join(repr(token) for token in self.index_to_token[:8])
        return f"Vocabulary({len(self)} tokens: {shown}{', …' if len(self) > 8 else ''})"

    def encode(self, tokens: Iterable[str]) -> np.ndarray:
        """The ids of ``tokens`` as an int64 array; unknown tokens give 0 (a string is read as its characters)."""
        tokens = list(tokens)
        ids = np.fromiter((self.token_to_index.get(token, -1) for token in tokens), dtype=np.int64, count=len(tokens))
        unknown = np.flatnonzero(ids < 0)
        for position in unknown:
            # Only misses need the type check: a hit is a string by construction.
            if not isinstance(tokens[position], str):
                raise TypeError(f"token {position} is {tokens[position]!r}, not a string.")
        ids[unknown] = self.unknown_index
        return ids

    def decode(self, ids: Sequence[int] | np.ndarray) -> list[str]:
        """The tokens of a one-dimensional sequence of ids."""
        ids = np.asarray(ids)
        if ids.ndim != 1:
            raise ValueError(f"decode takes a one-dimensional sequence of ids, got shape {ids.shape}.")
        if ids.size == 0:
            return []
        if not np.issubdtype(ids.dtype, np.integer):
            raise TypeError(f"ids must be integers, got {ids.dtype}.")
        outside = np.flatnonzero((ids < 0) | (ids >= len(self)))
        if outside.size:
            first = outside[0]
            raise IndexError(
                f"id {ids[first]} at position {first} is outside the vocabulary's 0..{len(self) - 1}.")
        return [self.index_to_token[index] for index in ids.tolist()]


# ---------------------------------------------------------------------------------------------
# Batches for a language model
# ---------------------------------------------------------------------------------------------


def sequence_batches(
    ids: Sequence[int] | np.ndarray,
    batch_size: int,
    num_steps: int,
    *,
    sampling: str = "random",
    seed: int | np.random.Generator = 0,
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """An iterator of batches ``(X, Y)``, two int64 arrays of shape ``(batch_size, num_steps)``
    with ``Y[b, t] == ids[i + 1]`` where ``X[b, t] == ids[i]``: the target is the next token.

    The text first loses a random number (below ``num_steps``) of its first tokens, so that each
    pass cuts it at different places. Then:

    - ``sampling="random"``: the text is cut into consecutive pieces of ``num_steps`` tokens and
      the pieces are dealt out in random order. Neighbouring rows and consecutive batches are
      unrelated, so a recurrent network must start each batch from a fresh hidden state.
    - ``sampling="sequential"``: the text is cut into ``batch_size`` long rows, one under the
      other, and batch ``k`` is columns ``k*num_steps`` to ``(k+1)*num_steps`` of them. Row ``b``
      of one batch continues where row ``b`` of the previous batch stopped, so the hidden state
      at the end of a batch is a meaningful start for the next (detach it from the graph, to
      keep backpropagation through time to one batch).

    Either way no token is used twice as input in a pass; the last incomplete batch is dropped.
    Pass a ``numpy.random.Generator`` as ``seed`` to get different cuts in each epoch.
    """
    ids = np.asarray(ids)
    if ids.ndim != 1 or (ids.size and not np.issubdtype(ids.dtype, np.integer)):
        raise TypeError(f"ids must be a one-dimensional sequence of integers, got {ids.dtype} of shape {ids.shape}.")
    if batch_size < 1 or num_steps < 1:
        raise ValueError(f"batch_size and num_steps must be positive, got {batch_size} and {num_steps}.")
    if sampling not in ("random", "sequential"):
        raise ValueError(f"sampling must be 'random' or 'sequential', got {sampling!r}.")
    # Enough for one full batch whatever the random offset (up to num_steps - 1) turns out to be.
    needed = (batch_size + 1) * num_steps
    if len(ids) < needed:
        raise ValueError(
            f"{len(ids)} tokens are too few for batches of {batch_size}×{num_steps}: at least {needed} are needed.")
    rng = np.random.default_rng(seed)
    text = ids.astype(np.int64, copy=False)[int(rng.integers(num_steps)):]
    # The checks above run at the call; the batches come from a generator, one at a time.
    if sampling == "random":
        return _random_batches(text, batch_size, num_steps, rng)
    return _sequential_batches(text, batch_size, num_steps)


def _random_batches(text: np.ndarray, batch_size: int, num_steps: int, rng: np.random.Generator):
    pieces = (len(text) - 1) // num_steps  # the last token of the text can only be a target
    starts = rng.permutation(pieces) * num_steps
    for first in range(0, pieces - batch_size + 1, batch_size):
        positions = starts[first: first + batch_size, None] + np.arange(num_steps)
        yield text[positions], text[positions + 1]


def _sequential_batches(text: np.ndarray, batch_size: int, num_steps: int):
    row_length = (len(text) - 1) // batch_size
    inputs = text[: batch_size * row_length].reshape(batch_size, row_length)
    targets = text[1: batch_size * row_length + 1].reshape(batch_size, row_length)
    for start in range(0, row_length - num_steps + 1, num_steps):
        yield inputs[:, start: start + num_steps], targets[:, start: start + num_steps]
