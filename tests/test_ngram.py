"""book.ngram: counts, the four smoothings, vectorised scoring, perplexity, sampling, errors."""

import math

import numpy as np
import pytest

from book import ngram, text
from book.ngram import NGramLanguageModel

# "abcab": a, b twice, c once. Vocabulary <unk>=0, a=1, b=2, c=3 (V = 4).
# Bigrams ab ×2, bc, ca: after a 2 tokens (both b), after b 1 (c; the last b has no follower), after c 1 (a).
# Continuations N1+(·w): a after c, b after a, c after b: one each, three in all, over three types.
TINY = list("abcab")
SMOOTHINGS_THAT_NORMALISE = ("add-k", "absolute", "kneser-ney")


def tiny(order=2, smoothing="kneser-ney", **options):
    return NGramLanguageModel(order, smoothing, **options).fit(TINY)


def random_text(length, alphabet="abcdefgh", seed=0):
    rng = np.random.default_rng(seed)
    # A Markov chain, so that higher orders have something to find.
    letters = list(alphabet)
    tokens, current = [], 0
    for _ in range(length):
        current = (current + rng.choice([1, 1, 2, 5])) % len(letters)
        tokens.append(letters[current])
    return tokens


def test_vocabulary_is_built_on_the_training_tokens():
    model = tiny()
    assert model.vocabulary.index_to_token == ("<unk>", "a", "b", "c")
    assert model.order == 2 and "kneser-ney" in repr(model)


def test_maximum_likelihood_values_by_hand():
    model = tiny(smoothing="mle")
    assert model.log_prob("b", "a") == pytest.approx(math.log(1.0))  # ab twice out of two tokens after a
    assert model.log_prob("c", "b") == pytest.approx(0.0)
    assert model.log_prob("a", "b") == -math.inf  # ba never seen
    assert np.array_equal(model.distribution("<unk>"), np.zeros(4))  # a context never seen: 0/0 taken as 0
    unigram = model.with_options(order=1)
    np.testing.assert_allclose(unigram.distribution(), [0, 2 / 5, 2 / 5, 1 / 5])


def test_add_k_values_by_hand():
    model = tiny(smoothing="add-k", k=1)
    assert math.exp(model.log_prob("b", "a")) == pytest.approx((2 + 1) / (2 + 4))
    assert math.exp(model.log_prob("a", "b")) == pytest.approx((0 + 1) / (1 + 4))
    np.testing.assert_allclose(model.distribution(["<unk>"]), np.full(4, 1 / 4))  # unseen context: uniform
    half = model.with_options(k=0.5)
    assert math.exp(half.log_prob("a", "c")) == pytest.approx((1 + 0.5) / (1 + 0.5 * 4))
    np.testing.assert_allclose(model.with_options(order=1).distribution(), [1 / 9, 3 / 9, 3 / 9, 2 / 9])


def test_kneser_ney_values_by_hand():
    model = tiny(discount=0.5)
    # Unigram level of a bigram model: continuation counts, (max(1 − ½, 0) + ½·3·¼) / 3 for a, b, c.
    lower = (0.5 + 0.5 * 3 / 4) / 3
    np.testing.assert_allclose(model.distribution(["<unk>"]), [0.5 * 3 / 4 / 3, lower, lower, lower])
    # Bigram: (2 − ½)/2 + ½·1/2 · P_lower(b).
    assert math.exp(model.log_prob("b", "a")) == pytest.approx(0.75 + 0.25 * lower)
    assert math.exp(model.log_prob("a", "a")) == pytest.approx(0.25 * lower)
    assert math.exp(model.log_prob("a", "b")) == pytest.approx(0.5 * lower)  # b is followed once, by c
    # The first token has no context: the order-1 model, with raw counts: (2 − ½)/5 + ½·3/5·¼.
    np.testing.assert_allclose(np.exp(model.token_log_probs("ab")), [0.375, 0.75 + 0.25 * lower])


def test_absolute_discounting_values_by_hand():
    model = tiny(smoothing="absolute", discount=0.5)
    unigram_b = (2 - 0.5) / 5 + 0.5 * 3 / 5 / 4  # raw counts at the lower order too
    assert math.exp(model.log_prob("b", "a")) == pytest.approx(0.75 + 0.25 * unigram_b)
    assert math.exp(model.log_prob("b", "<unk>")) == pytest.approx(unigram_b)


def test_ney_discount_estimate():
    # Bigram counts 2, 1, 1: n1 = 2, n2 = 1, D = 2 / (2 + 2).
    model = tiny()
    assert model._discount(2, "counts") == pytest.approx(0.5)
    assert model.with_options(discount=0.3)._discount(2, "counts") == 0.3
    assert model.with_options(discount=[0.2, 0.7])._discount(1, "continuations") == 0.2


@pytest.mark.parametrize("smoothing", SMOOTHINGS_THAT_NORMALISE)
@pytest.mark.parametrize("order", [1, 2, 3, 4])
def test_distributions_sum_to_one_for_every_context(smoothing, order):
    tokens = random_text(400)
    model = NGramLanguageModel(order, smoothing, k=0.1, discount=0.7).fit(tokens)
    contexts = [(), ("a",), ("a", "b"), ("h", "g", "f"), ("z", "z", "z"), tuple(tokens[:order - 1]),
                tuple(tokens[100:100 + order + 2]), ("<unk>", "a")]
    for context in contexts:
        distribution = model.distribution(list(context))
        assert distribution.shape == (len(model.vocabulary),) and np.all(distribution >= 0)
        assert distribution.sum() == pytest.approx(1.0, abs=1e-12), context


def test_maximum_likelihood_sums_to_one_after_a_seen_context():
    tokens = random_text(300)
    model = NGramLanguageModel(3, "mle").fit(tokens)
    assert model.distribution(tokens[10:12]).sum() == pytest.approx(1.0)


@pytest.mark.parametrize("smoothing", ["mle", *SMOOTHINGS_THAT_NORMALISE])
@pytest.mark.parametrize("order", [1, 2, 3, 5])
def test_vectorised_scores_equal_one_token_at_a_time(smoothing, order):
    model = NGramLanguageModel(order, smoothing, k=0.2).fit(random_text(500))
    held_out = random_text(60, alphabet="abcdefghij", seed=1)  # i and j are unknown
    vectorised = model.token_log_probs(held_out)
    one_by_one = [model.log_prob(token, held_out[max(0, t - order + 1):t]) for t, token in enumerate(held_out)]
    np.testing.assert_allclose(vectorised, one_by_one, rtol=1e-12)
    assert vectorised.shape == (60,)


def test_context_is_not_scored_and_first_tokens_use_the_order_they_can():
    model = NGramLanguageModel(3, "kneser-ney").fit(random_text(500))
    sequence = list("abcde")
    scores = model.token_log_probs(sequence)
    assert scores[0] == pytest.approx(model.with_options(order=1).log_prob("a"))
    assert scores[1] == pytest.approx(model.with_options(order=2).log_prob("b", "a"))
    np.testing.assert_allclose(model.token_log_probs(sequence[2:], context=sequence[:2]), scores[2:])
    assert model.total_log_prob(sequence) == pytest.approx(scores.sum())


def test_perplexity_is_exp_of_the_mean_negative_log_likelihood():
    model = NGramLanguageModel(2, "add-k", k=0.5).fit(random_text(300))
    held_out = random_text(50, seed=2)
    assert model.perplexity(held_out) == pytest.approx(math.exp(-model.token_log_probs(held_out).mean()))
    assert ngram.perplexity([math.log(0.5)] * 3) == pytest.approx(2.0)


@pytest.mark.parametrize("smoothing", SMOOTHINGS_THAT_NORMALISE)
def test_a_model_that_has_seen_nothing_is_uniform_with_perplexity_the_vocabulary_size(smoothing):
    vocabulary = text.Vocabulary(random_text(100))
    model = NGramLanguageModel(3, smoothing).fit([], vocabulary=vocabulary)
    assert model.perplexity(random_text(200, seed=3)) == pytest.approx(len(vocabulary))
    np.testing.assert_allclose(model.distribution("ab"), np.full(len(vocabulary), 1 / len(vocabulary)))


def test_unsmoothed_held_out_perplexity_is_infinite_and_training_text_is_easier():
    tokens = random_text(2000)
    train, held_out = tokens[:1500], tokens[1500:]
    mle = NGramLanguageModel(4, "mle").fit(train)
    assert mle.perplexity(held_out + ["z"]) == math.inf
    kneser_ney = NGramLanguageModel(4, "kneser-ney").fit(train)
    assert kneser_ney.perplexity(train) < kneser_ney.perplexity(held_out) < math.inf


def test_a_shared_vocabulary_and_ids_give_the_same_model():
    tokens = random_text(300)
    vocabulary = text.Vocabulary(tokens[:200], min_freq=3)
    from_tokens = NGramLanguageModel(3).fit(tokens, vocabulary=vocabulary)
    from_ids = NGramLanguageModel(3).fit(vocabulary.encode(tokens), vocabulary=vocabulary)
    held_out = random_text(80, seed=4)
    np.testing.assert_array_equal(from_tokens.token_log_probs(held_out), from_ids.token_log_probs(vocabulary.encode(held_out)))
    assert from_tokens.vocabulary is vocabulary


def test_with_options_reuses_the_counts():
    tokens = random_text(400)
    big = NGramLanguageModel(5, "kneser-ney").fit(tokens)
    small = NGramLanguageModel(3, "add-k", k=0.3).fit(tokens)
    held_out = random_text(100, seed=5)
    np.testing.assert_allclose(big.with_options(3, "add-k", k=0.3).token_log_probs(held_out),
                               small.token_log_probs(held_out))
    assert big.with_options(3).discount is None and big.with_options(discount=0.8).discount == 0.8


def test_sampling_is_seeded_stops_and_never_draws_unknown():
    tokens = random_text(500)
    model = NGramLanguageModel(3, "kneser-ney").fit(tokens)
    first, again = model.sample(50, "ab", seed=7), model.sample(50, "ab", seed=7)
    assert first == again and len(first) == 50 and "<unk>" not in first
    assert set(first) <= set(tokens)
    stopped = model.sample(200, seed=1, stop="a")
    assert stopped[-1] == "a" and "a" not in stopped[:-1]
    cold = model.sample(30, "ab", temperature=0.01, seed=0)  # nearly greedy: always a likeliest token
    history = list("ab") + cold
    for t, token in enumerate(cold, start=2):
        distribution = model.distribution(history[t - 2:t])
        assert distribution[model.vocabulary.token_to_index[token]] == pytest.approx(distribution.max())


def test_maximum_likelihood_samples_only_seen_ngrams():
    tokens = random_text(300)
    model = NGramLanguageModel(2, "mle").fit(tokens)
    drawn = model.sample(100, tokens[:1], seed=0)
    seen = set(zip(tokens, tokens[1:]))
    assert set(zip(tokens[:1] + drawn, drawn)) <= seen


@pytest.mark.parametrize("arguments, message", [
    ((0,), "order"), ((2.5,), "order"), ((True,), "order"),
    ((2, "laplace"), "unknown smoothing"),
    ((2, "add-k"), None),
])
def test_bad_model_arguments(arguments, message):
    if message is None:
        with pytest.raises(ValueError, match="k > 0"):
            NGramLanguageModel(*arguments, k=0)
        return
    with pytest.raises(ValueError, match=message):
        NGramLanguageModel(*arguments)


@pytest.mark.parametrize("discount", [-0.1, 1.5, [0.5, 0.5, 0.5], float("nan")])
def test_bad_discounts(discount):
    with pytest.raises(ValueError, match="discount"):
        NGramLanguageModel(2, discount=discount)


def test_bad_use():
    with pytest.raises(RuntimeError, match="fit"):
        NGramLanguageModel(2).perplexity("ab")
    with pytest.raises(ValueError, match="vocabulary"):
        NGramLanguageModel(2).fit([])
    with pytest.raises(ValueError, match="vocabulary"):
        NGramLanguageModel(2).fit(np.array([1, 2, 3]))
    model = tiny()
    with pytest.raises(ValueError, match="0..3"):
        model.perplexity(np.array([1, 7]))
    with pytest.raises(ValueError, match="order 2"):
        model.with_options(order=3)
    with pytest.raises(ValueError, match="temperature"):
        model.sample(5, temperature=0)
    with pytest.raises(ValueError, match="at least one token"):
        model.perplexity([])
    with pytest.raises(TypeError, match="next_token"):
        model.log_prob(1.5, "a")


def test_counts_of_ngrams_and_of_distinct_ngrams():
    model = tiny()
    assert [model.count(gram) for gram in ("a", "ab", "ba", "c", "ca", "z")] == [2, 2, 0, 1, 1, 0]
    assert model.distinct_ngrams() == [3, 3]
    with pytest.raises(ValueError, match="1 to 2 tokens"):
        model.count("abc")
