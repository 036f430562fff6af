"""book.text: corpus files and checks, cleaning, splits by document, tokens, vocabulary, batches."""

import dataclasses
import hashlib
import os
from pathlib import Path

import numpy as np
import pytest

from book import data, text

COLOUR_TITLE, COLOUR_AUTHOR, COLOUR_END = "\x1b[32m", "\x1b[33m", "\x1b[m"


def poem_entry(title: str, author: str, *verses: str) -> str:
    """An entry laid out as in fortunes-zh's tang300."""
    title_line, author_line = f"{COLOUR_TITLE}《{title}》{COLOUR_END}", f"{COLOUR_AUTHOR}作者：{author}{COLOUR_END}"
    return "\n".join([title_line, author_line, *verses]) + "\n"


TINY_POEMS = [
    poem_entry("静夜思", "李白", "床前明月光，疑是地上霜。", "举头望明月，低头思故乡。"),
    poem_entry("春晓", "孟浩然", "春眠不觉晓，处处闻啼鸟。", "夜来风雨声，花落知多少。"),
    poem_entry("登鹳雀楼", "王之涣", "白日依山尽，黄河入海流。", "欲穷千里目，更上一层楼。"),
    poem_entry("相思", "王维", "红豆生南国，春来发几枝。", "愿君多采撷，此物最相思。"),
    poem_entry("江雪", "柳宗元", "千山鸟飞绝，万径人踪灭。", "孤舟蓑笠翁，独钓寒江雪。"),
    poem_entry("鹿柴", "王维", "空山不见人，但闻人语响。", "返景入深林，复照青苔上。"),
    poem_entry("竹里馆", "王维", "独坐幽篁里，弹琴复长啸。", "深林人不知，明月来相照。"),
    poem_entry("送别", "王维", "山中相送罢，日暮掩柴扉。", "春草明年绿，王孙归不归。"),
    poem_entry("杂诗", "王维", "君自故乡来，应知故乡事。", "来日绮窗前，寒梅著花未。"),
    poem_entry("静夜思", "李白", "床前明月光，疑是地上霜。", "举头望明月，低头思故乡。"),  # a repeat
]


def fortune_file(entries) -> bytes:
    return "".join(entry + "%\n" for entry in entries).encode("utf-8")


def tiny_poem_spec(tmp_path: Path, content: bytes | None = None) -> tuple[text.CorpusSpec, Path]:
    """A corpus of nine distinct poems in tmp_path/tiny-poems, with its checksum recorded."""
    content = fortune_file(TINY_POEMS) if content is None else content
    folder = tmp_path / "tiny-poems"
    folder.mkdir(exist_ok=True)
    (folder / "poems").write_bytes(content)
    spec = dataclasses.replace(
        text.TANG_POEMS, name="tiny-poems", files={"poems": hashlib.sha256(content).hexdigest()},
        system_dirs=(tmp_path / "nowhere",))
    return spec, tmp_path


# --- Cleaning ----------------------------------------------------------------------------------


def test_fortune_entries_drop_colour_codes_and_split_on_percent_lines():
    raw = f"{COLOUR_TITLE}one{COLOUR_END}\n100%\n%\n\n%\ntwo \x1b[;\x1b[34;1mmthree\n%\n"
    assert text.fortune_entries(raw) == ["one\n100%\n", "two three\n"]


def test_a_tang_poem_becomes_one_line_without_title_author_or_spaces():
    wrapped_preface = poem_entry("观舞・并序", "杜甫", "大历二年，见临颍李十二娘", "舞剑器。  ", "  ", "昔有佳人公孙氏，一舞剑器动四方。")
    assert text.tang_poem_documents(fortune_file([TINY_POEMS[0], wrapped_preface]).decode()) == [
        "床前明月光，疑是地上霜。举头望明月，低头思故乡。",
        "大历二年，见临颍李十二娘舞剑器。昔有佳人公孙氏，一舞剑器动四方。",
    ]


def test_a_poem_without_an_author_line_is_a_format_error():
    with pytest.raises(text.CorpusFormatError, match="entry 2"):
        text.tang_poem_documents(fortune_file([TINY_POEMS[0], "《无名》\n白日依山尽\n"]).decode())


def test_fortunes_lose_tables_indentation_and_blank_lines_but_keep_attributions():
    table = "gdb 命令\n    ┌──────┐\n    │ bt   │\n    └──────┘\n"
    saying = "狗咬穿烂的，\xa0\xa0人舔穿好的。\n\n\x1b[33m    --\x1b[32m《谚语》\x1b[m\x1b[m\n"
    assert text.fortune_documents(fortune_file([table, saying]).decode()) == ["狗咬穿烂的， 人舔穿好的。\n--《谚语》"]


def test_rest_sections_lose_markup_but_keep_text_and_code():
    source = "\n".join([
        ".. _tut-intro:", "", "*****", "Intro", "*****", "", ".. index::", "   single: spam", "   pair: eggs; ham", "",
        "Text with ``code`` and :term:`>>>`.", "", "", "", "Example::", "", "   >>> 1 + 1", "   2", "",
        "Details", "-------", "", ".. note::", "", "   A note.   ", "   .. index:: nested", "      entry",
        "   More note.", "", ".. method:: f(x)", "   :noindex:", "", "   Returns `x <y>`_ or :meth:`~a.b`.", "",
    ])
    assert text.rest_documents(source) == [
        "Intro\n\nText with code and >>>.\n\nExample::\n\n   >>> 1 + 1\n   2",
        "Details\n\n   A note.\n   More note.\n\n   Returns x or a.b.",
    ]


def test_inline_markup_becomes_the_text_it_shows():
    source = ("Use ``len(s)``, :func:`len`, :meth:`~object.__len__`, :ref:`the tutorial <tut-intro>`,\n"
              "`EBNF\n<https://example.org/ebnf>`_, `PEP 8`__ and `spam`; keep *this* and 'quotes'.")
    assert text.strip_inline_markup(source) == (
        "Use len(s), len, object.__len__, the tutorial,\nEBNF, PEP 8 and spam; keep *this* and 'quotes'.")


# --- Finding and checking the files ---------------------------------------------------------------


def test_missing_corpus_names_the_package_and_the_setup_command(tmp_path, monkeypatch):
    monkeypatch.delenv("BOOK_DATA_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    spec = dataclasses.replace(text.PYTHON_DOCS, system_dirs=(tmp_path / "nowhere",))
    with pytest.raises(data.DataNotFoundError) as error:
        text.load_corpus(spec)
    message = str(error.value)
    for hint in ("python3.11-doc", "./textbook setup", "BOOK_DATA_DIR", "34 files", "tutorial/appendix.rst.txt",
                 str(tmp_path / "cache" / "dl-textbook" / "python-docs"), str(tmp_path / "nowhere")):
        assert hint in message


def test_a_folder_missing_one_file_is_passed_over(tmp_path, monkeypatch):
    spec = dataclasses.replace(text.PYTHON_DOCS, files={"a.rst.txt": "0" * 64, "sub/b.rst.txt": "0" * 64})
    (tmp_path / "python-docs" / "sub").mkdir(parents=True)
    (tmp_path / "python-docs" / "a.rst.txt").write_text("A")
    (tmp_path / "sub").mkdir()
    for name in ("a.rst.txt", "sub/b.rst.txt"):
        (tmp_path / name).write_text("B")
    monkeypatch.setenv("BOOK_DATA_DIR", str(tmp_path))
    assert text.find_corpus_files(spec) == {
        "a.rst.txt": tmp_path / "a.rst.txt", "sub/b.rst.txt": tmp_path / "sub/b.rst.txt"}
    (tmp_path / "sub" / "b.rst.txt").unlink()
    assert text.find_corpus_files(spec) is None


def test_a_changed_file_fails_its_checksum_unless_told_not_to_check(tmp_path, monkeypatch):
    spec, folder = tiny_poem_spec(tmp_path)
    monkeypatch.setenv("BOOK_DATA_DIR", str(folder))
    changed = fortune_file(TINY_POEMS[:-2])
    (folder / "tiny-poems" / "poems").write_bytes(changed)
    with pytest.raises(data.ChecksumError, match=r"SHA-256 is [0-9a-f]{64}, expected .*fortunes-zh 2\.98"):
        text.load_corpus(spec)
    assert len(text.read_documents(spec, verify=False)) == 8


def test_a_file_that_is_not_utf8_is_a_format_error(tmp_path):
    spec, folder = tiny_poem_spec(tmp_path, content="《静夜思》\n作者：李白\n床前明月光\n%\n".encode("gb2312"))
    with pytest.raises(text.CorpusFormatError, match="not UTF-8"):
        text.load_corpus(spec, data_dir=folder)


def test_corpora_are_found_by_either_spelling_of_their_name():
    assert text._corpus_spec("tang-poems") is text._corpus_spec("tang_poems") is text.TANG_POEMS
    with pytest.raises(ValueError, match="unknown corpus 'song_lyrics'; the corpora are tang_poems"):
        text.load_corpus("song_lyrics")


# --- Splitting by documents --------------------------------------------------------------------------


def test_loading_splits_whole_documents_drops_repeats_and_repeats_itself(tmp_path):
    spec, folder = tiny_poem_spec(tmp_path)
    corpus = text.load_corpus(spec, data_dir=folder, validation_fraction=0.2, test_fraction=0.2, seed=3)
    parts = [corpus.documents[part] for part in ("train", "validation", "test")]
    assert [len(part) for part in parts] == [5, 2, 2]
    every_poem = [document for part in parts for document in part]
    assert sorted(every_poem) == sorted(set(text.tang_poem_documents(fortune_file(TINY_POEMS).decode())))
    assert corpus.train == "\n".join(corpus.documents["train"]) and corpus.test.count("\n") == 1
    assert "documents" in repr(corpus) and len(repr(corpus)) < 200
    again = text.load_corpus(spec, data_dir=folder, validation_fraction=0.2, test_fraction=0.2, seed=3)
    assert again == corpus
    other_seeds = {text.load_corpus(spec, data_dir=folder, seed=seed).test for seed in range(4, 10)}
    assert len(other_seeds) > 1


def test_split_fractions_are_shares_of_characters_and_parts_keep_document_order():
    documents = [str(i) * length for i, length in enumerate([50, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 40])]
    train, validation, test = text.split_documents(documents, 0.1, 0.1, seed=0)
    assert sorted([*train, *validation, *test]) == list(range(12))
    for part in (train, validation, test):
        assert list(part) == sorted(part)
    total = sum(map(len, documents))
    for part in (validation, test):
        held = sum(len(documents[i]) for i in part)
        # At least the share; over it by no more than the last document taken.
        assert 0.1 * total <= held < 0.1 * total + max(len(documents[i]) for i in part)


def test_split_without_held_out_fractions_trains_on_everything():
    train, validation, test = text.split_documents(["a", "bb", "ccc"], 0, 0)
    assert list(train) == [0, 1, 2] and validation.size == test.size == 0


@pytest.mark.parametrize("fractions", [(-0.1, 0.1), (0.1, 1.0), (0.5, 0.5)])
def test_split_rejects_fractions_that_leave_nothing_to_train_on(fractions):
    with pytest.raises(ValueError, match="fraction"):
        text.split_documents(["a"] * 10, *fractions)


def test_split_says_when_there_are_too_few_documents():
    with pytest.raises(ValueError, match="2 documents are too few"):
        text.split_documents(["a", "b"], 0.1, 0.1)


# --- Tokens and vocabulary ---------------------------------------------------------------------------


def test_character_tokens_keep_everything():
    assert text.tokenize("床前 明月\n光") == ["床", "前", " ", "明", "月", "\n", "光"]


def test_word_tokens_are_lower_case_words_and_single_punctuation_marks():
    assert text.tokenize("Don't stop: __init__() returns 3.14!\n", level="word") == [
        "don", "'", "t", "stop", ":", "__init__", "(", ")", "returns", "3", ".", "14", "!"]


def test_tokenize_rejects_an_unknown_level_and_a_non_string():
    with pytest.raises(ValueError, match="'char' or 'word', got 'sentence'"):
        text.tokenize("a b", level="sentence")
    with pytest.raises(TypeError, match="string"):
        text.tokenize(["a", "b"])


def test_vocabulary_numbers_unknown_then_reserved_then_by_frequency():
    vocabulary = text.Vocabulary("abracadabra", reserved=["<pad>", "<eos>"])
    assert vocabulary.index_to_token == ("<unk>", "<pad>", "<eos>", "a", "b", "r", "c", "d")
    assert vocabulary.frequencies == (("a", 5), ("b", 2), ("r", 2), ("c", 1), ("d", 1))
    assert len(vocabulary) == 8 and vocabulary.token_to_index["r"] == 5 and "c" in vocabulary
    assert text.Vocabulary("zzyyx").index_to_token == ("<unk>", "y", "z", "x")  # ties in sorted order


def test_vocabulary_round_trip_and_unknown_tokens():
    tokens = text.tokenize("the cat saw the other cat, and the dog", level="word")
    vocabulary = text.Vocabulary(tokens, min_freq=2)
    assert vocabulary.index_to_token == ("<unk>", "the", "cat")
    ids = vocabulary.encode(tokens)
    assert ids.dtype == np.int64 and ids.tolist() == [1, 2, 0, 1, 0, 2, 0, 0, 1, 0]
    assert vocabulary.decode(ids) == ["the", "cat", "<unk>", "the", "<unk>", "cat", "<unk>", "<unk>", "the", "<unk>"]
    everything = text.Vocabulary(tokens)
    assert everything.decode(everything.encode(tokens)) == tokens
    assert everything.encode(["zebra"]).tolist() == [0] and everything.encode([]).shape == (0,)


def test_vocabulary_rejects_bad_input():
    vocabulary = text.Vocabulary("abc")
    with pytest.raises(IndexError, match="id 4 at position 1 is outside the vocabulary's 0..3"):
        vocabulary.decode([1, 4])
    with pytest.raises(IndexError, match="id -1"):
        vocabulary.decode(np.array([-1]))
    with pytest.raises(TypeError, match="integers"):
        vocabulary.decode([1.0, 2.0])
    with pytest.raises(ValueError, match="one-dimensional"):
        vocabulary.decode([[1, 2]])
    with pytest.raises(TypeError, match="token 1 is 7"):
        vocabulary.encode(["a", 7])
    with pytest.raises(ValueError, match="always index 0"):
        text.Vocabulary("abc", reserved=["<unk>"])
    with pytest.raises(TypeError, match="not a string"):
        text.Vocabulary("abc", reserved="<pad>")
    with pytest.raises(ValueError, match="min_freq"):
        text.Vocabulary("abc", min_freq=0)
    with pytest.raises(TypeError, match="strings"):
        text.Vocabulary([1, 2])


# --- Batches for a language model --------------------------------------------------------------------


def distinct_ids(length: int, seed: int = 0) -> np.ndarray:
    """Ids that are all different, so that each one tells where in the text it stands."""
    return np.random.default_rng(seed).permutation(length).astype(np.int64) + 100


@pytest.mark.parametrize("sampling", ["random", "sequential"])
def test_targets_are_the_inputs_shifted_by_one_token(sampling):
    ids = distinct_ids(1000)
    position = np.argsort(ids)  # position[id - 100] is where that id stands
    batches = list(text.sequence_batches(ids, 4, 7, sampling=sampling, seed=1))
    assert len(batches) > 10
    for X, Y in batches:
        assert X.shape == Y.shape == (4, 7) and X.dtype == Y.dtype == np.int64
        where = position[X - 100]
        np.testing.assert_array_equal(Y, ids[where + 1])
        np.testing.assert_array_equal(np.diff(where, axis=1), 1)  # each row is a stretch of the text


@pytest.mark.parametrize("sampling", ["random", "sequential"])
def test_a_pass_uses_each_token_at_most_once_and_misses_little(sampling):
    length, batch_size, num_steps = 1003, 4, 7
    used = np.concatenate([X.ravel() for X, _ in text.sequence_batches(
        np.arange(length), batch_size, num_steps, sampling=sampling, seed=2)])
    assert len(np.unique(used)) == len(used)
    # Lost: the random offset (< num_steps), the last token (only a target), and a tail too short for a batch.
    assert len(used) > length - num_steps - 1 - batch_size * num_steps


def test_random_sampling_shuffles_and_depends_on_the_seed():
    ids = np.arange(2000)
    firsts = [next(text.sequence_batches(ids, 8, 10, seed=seed))[0][:, 0] for seed in (0, 0, 1)]
    np.testing.assert_array_equal(firsts[0], firsts[1])
    assert not np.array_equal(firsts[0], firsts[2])
    assert not np.all(np.diff(firsts[0]) > 0)  # rows are not in text order


def test_sequential_rows_continue_from_one_batch_to_the_next():
    batches = list(text.sequence_batches(np.arange(2000), 5, 10, sampling="sequential", seed=4))
    for (X, _), (X_next, _) in zip(batches, batches[1:]):
        np.testing.assert_array_equal(X_next[:, 0], X[:, -1] + 1)
    rows = np.concatenate([X for X, _ in batches], axis=1)
    np.testing.assert_array_equal(np.diff(rows, axis=1), 1)
    offset = rows[0, 0]  # the ids are positions, so the first id is the random offset
    assert offset < 10
    np.testing.assert_array_equal(np.diff(rows[:, 0]), (2000 - offset - 1) // 5)  # rows cut the text in five


def test_a_generator_as_seed_cuts_each_epoch_differently():
    rng = np.random.default_rng(0)
    starts = {next(text.sequence_batches(np.arange(500), 2, 10, sampling="sequential", seed=rng))[0][0, 0]
              for _ in range(10)}
    assert len(starts) > 1


def test_batches_reject_bad_arguments_when_called():
    with pytest.raises(ValueError, match="at least 44 are needed"):
        text.sequence_batches(np.arange(43), 3, 11)
    for seed in range(20):  # whatever the offset, 44 tokens make one batch
        assert [X.shape for X, _ in text.sequence_batches(np.arange(44), 3, 11, seed=seed)] == [(3, 11)]
    with pytest.raises(ValueError, match="'random' or 'sequential'"):
        text.sequence_batches(np.arange(100), 2, 3, sampling="shuffled")
    with pytest.raises(TypeError, match="integers"):
        text.sequence_batches(np.ones(100), 2, 3)
    with pytest.raises(ValueError, match="positive"):
        text.sequence_batches(np.arange(100), 0, 3)


# --- The real corpora, where their Debian packages are installed -----------------------------------------

fortunes = Path("/usr/share/games/fortunes/tang300")
python_doc_sources = Path("/usr/share/doc/python3.11/html/_sources/tutorial")
needs_fortunes = pytest.mark.skipif(
    not fortunes.is_file() and not os.environ.get("CI"), reason="fortunes-zh not installed")
needs_python_docs = pytest.mark.skipif(
    not python_doc_sources.is_dir() and not os.environ.get("CI"), reason="python3.11-doc not installed")


@pytest.fixture
def system_files_only(monkeypatch, tmp_path):
    """Look only in the Debian folders, not in a data dir or cache that a developer may have."""
    monkeypatch.delenv("BOOK_DATA_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "empty-cache"))


@pytest.mark.parametrize("spec", [
    pytest.param(text.TANG_POEMS, marks=needs_fortunes),
    pytest.param(text.CHINESE_FORTUNES, marks=needs_fortunes),
    pytest.param(text.PYTHON_DOCS, marks=needs_python_docs),
], ids=lambda spec: spec.name)
def test_real_corpus_has_the_recorded_size_and_a_clean_split(spec, system_files_only):
    corpus = text.load_corpus(spec)  # checks every file's SHA-256
    parts = [corpus.documents[part] for part in ("train", "validation", "test")]
    assert sum(map(len, parts)) == spec.documents
    assert sum(len(document) for part in parts for document in part) == spec.characters
    train, validation, test = map(set, parts)
    assert not train & validation and not train & test and not validation & test
    total = len(corpus.train) + len(corpus.validation) + len(corpus.test)
    assert 0.7 < len(corpus.train) / total < 0.82
    assert "\x1b" not in corpus.train + corpus.validation + corpus.test


@needs_fortunes
def test_tang_poems_are_one_a_line_in_chinese(system_files_only):
    corpus = text.tang_poems()
    poems = corpus.train.split("\n")
    assert poems == list(corpus.documents["train"])
    assert "床前明月光，疑是地上霜。举头望明月，低头思故乡。" in text.read_documents("tang_poems")
    assert not any(" " in poem or "作者" in poem for poem in poems)
    assert 2000 < len(text.Vocabulary(corpus.train)) < 3000


@needs_python_docs
def test_python_docs_are_english_prose(system_files_only):
    corpus = text.python_docs()
    words = text.Vocabulary(text.tokenize(corpus.train, level="word"))
    assert [token for token, _ in words.frequencies[:3]] == [".", "the", ","]
    assert not any(markup in corpus.train for markup in (".. index::", "\n=====", ":meth:`", "``"))
