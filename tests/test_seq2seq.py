"""book.seq2seq: the special tokens, padding on either side, teacher forcing, greedy decoding."""

import numpy as np
import pytest
import torch

from book.seq2seq import (BOS, EOS, PAD, character_vocabulary, decode_until_eos, encode_padded, greedy_decode,
                          teacher_forcing_inputs)
from book.text import Vocabulary


@pytest.fixture
def vocabulary():
    # a twice, b and c once: <unk>=0, <pad>=1, <bos>=2, <eos>=3, a=4, b=5, c=6.
    return character_vocabulary(["ab", "ca"])


def test_special_tokens_come_first(vocabulary):
    assert vocabulary.index_to_token == ("<unk>", PAD, BOS, EOS, "a", "b", "c")


def test_encode_padded_on_the_right_with_eos(vocabulary):
    ids = encode_padded(["abc", "a", ""], vocabulary, add_eos=True)
    assert ids.dtype == np.int64
    np.testing.assert_array_equal(ids, [[4, 5, 6, 3], [4, 3, 1, 1], [3, 1, 1, 1]])


def test_encode_padded_on_the_left_to_a_given_length(vocabulary):
    ids = encode_padded(["ab", "c"], vocabulary, length=4, pad_side="left")
    np.testing.assert_array_equal(ids, [[1, 1, 4, 5], [1, 1, 1, 6]])
    assert encode_padded(["x"], vocabulary).tolist() == [[0]]  # unknown characters become <unk>


def test_encode_padded_refuses_what_does_not_fit(vocabulary):
    with pytest.raises(ValueError, match="more than length"):
        encode_padded(["abc"], vocabulary, add_eos=True, length=3)
    with pytest.raises(ValueError, match="pad_side"):
        encode_padded(["a"], vocabulary, pad_side="middle")
    with pytest.raises(TypeError, match="sequence of texts"):
        encode_padded("abc", vocabulary)
    with pytest.raises(ValueError, match="no <pad>"):
        encode_padded(["a"], Vocabulary("abc"))


def test_teacher_forcing_inputs_shift_right_behind_bos(vocabulary):
    targets = encode_padded(["abc", "b"], vocabulary, add_eos=True)
    inputs = teacher_forcing_inputs(targets, bos_id=2)
    np.testing.assert_array_equal(inputs, [[2, 4, 5, 6], [2, 5, 3, 1]])
    assert inputs.dtype == targets.dtype
    with pytest.raises(ValueError, match=r"\(n, T\)"):
        teacher_forcing_inputs(np.arange(3), bos_id=2)


def test_decode_until_eos_round_trips_and_keeps_mistakes(vocabulary):
    texts = ["abc", "", "cab"]
    assert decode_until_eos(encode_padded(texts, vocabulary, add_eos=True), vocabulary) == texts
    assert decode_until_eos(torch.tensor([[4, 1, 5, 1, 1]]), vocabulary) == ["a<pad>b"]  # no <eos>: trailing pads go
    assert decode_until_eos(np.array([[2, 4, 3, 5]]), vocabulary) == ["<bos>a"]
    with pytest.raises(ValueError, match=r"\(n, T\)"):
        decode_until_eos(np.array([4, 5]), vocabulary)


def counting_step(vocabulary_size, eos_id, stop_at):
    """A fake decoder: emits previous + 1 until row b has emitted stop_at[b] tokens, then <eos> for ever."""
    def step(previous, state):
        emitted = state + 1
        next_tokens = torch.where(emitted >= torch.tensor(stop_at), torch.tensor(eos_id), (previous + 1) % vocabulary_size)
        return torch.nn.functional.one_hot(next_tokens, vocabulary_size).float(), emitted
    return step


def test_greedy_decode_feeds_its_output_back_and_stops_when_all_rows_ended():
    step = counting_step(10, eos_id=3, stop_at=[2, 4])
    tokens = greedy_decode(step, torch.zeros(2, dtype=torch.int64), batch_size=2, bos_id=5, eos_id=3, max_length=9)
    assert tokens.dtype == torch.int64
    np.testing.assert_array_equal(tokens, [[6, 3, 3, 3], [6, 7, 8, 3]])  # row 0 waits for row 1; decoding cuts it


def test_greedy_decode_stops_at_max_length_and_checks_shapes():
    step = counting_step(10, eos_id=3, stop_at=[100])
    tokens = greedy_decode(step, torch.zeros(1, dtype=torch.int64), batch_size=1, bos_id=5, eos_id=3, max_length=3)
    assert tokens.tolist() == [[6, 7, 8]]
    with pytest.raises(ValueError, match="max_length"):
        greedy_decode(step, None, batch_size=1, bos_id=5, eos_id=3, max_length=0)
    with pytest.raises(ValueError, match="logits of shape"):
        greedy_decode(lambda tokens, state: (torch.zeros(3, 4), state), None, batch_size=2, bos_id=0, eos_id=1,
                      max_length=2)
