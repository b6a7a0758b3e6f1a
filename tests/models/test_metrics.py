"""The evaluation metrics against figures worked out by hand."""

from __future__ import annotations

import pytest

from analysis import metrics as m


def test_precision_recall_f1_at_a_threshold():
    scores = [0.9, 0.7, 0.6, 0.4, 0.2]
    labels = [1, 0, 1, 1, 0]
    prf = m.prf_at(scores, labels, 0.5)
    # predicted 1: 0.9, 0.7, 0.6 -> tp 2, fp 1; missed 0.4 -> fn 1
    assert prf.precision == pytest.approx(2 / 3)
    assert prf.recall == pytest.approx(2 / 3)
    assert prf.f1 == pytest.approx(2 / 3)


def test_best_f1_and_the_threshold_that_gives_it():
    scores = [0.9, 0.7, 0.6, 0.4, 0.2]
    labels = [1, 0, 1, 1, 0]
    # thresholds: 0.9 -> P1 R1/3 F.5; 0.7 -> P.5 R1/3 F.4; 0.6 -> P2/3 R2/3 F2/3;
    # 0.4 -> P3/4 R1 F6/7; 0.2 -> P3/5 R1 F.75
    f1, at = m.best_f1(scores, labels)
    assert f1 == pytest.approx(6 / 7) and at == 0.4


def test_average_precision_with_tied_scores_is_one_step():
    scores = [0.9, 0.8, 0.8, 0.1]
    labels = [1, 0, 1, 0]
    # step 0.9: R .5 P 1; step 0.8 (both tied sentences at once): R 1 P 2/3
    assert m.average_precision(scores, labels) == pytest.approx(0.5 * 1 + 0.5 * 2 / 3)
    # The order of tied sentences does not matter.
    assert m.average_precision([0.9, 0.8, 0.8, 0.1], [1, 1, 0, 0]) == pytest.approx(
        m.average_precision(scores, labels)
    )


def test_average_precision_without_positives_is_undefined():
    assert m.average_precision([0.3, 0.2], [0, 0]) is None


def test_map_is_the_mean_over_documents_with_a_positive():
    scores = [0.9, 0.5, 0.1, 0.8, 0.7, 0.3, 0.6]
    labels = [0, 1, 0, 1, 0, 1, 0]
    docs = ["a", "a", "a", "b", "b", "b", "c"]
    # a: ranking .9(0) .5(1) .1(0) -> AP = 1 * 1/2 = .5
    # b: .8(1) .7(0) .3(1) -> AP = .5*1 + .5*(2/3) = 5/6
    # c: no positive -> left out
    value, per_doc = m.mean_average_precision(scores, labels, docs)
    assert per_doc == pytest.approx({"a": 0.5, "b": 5 / 6})
    assert value == pytest.approx((0.5 + 5 / 6) / 2)


def test_confusion_per_class_macro_f1_and_fnc_score():
    gold = ["unrelated", "unrelated", "supports", "contradicts", "mentions", "supports"]
    pred = ["unrelated", "mentions", "supports", "supports", "mentions", "unrelated"]
    matrix = m.confusion(gold, pred)
    assert matrix == [[1, 0, 0, 1], [1, 1, 0, 0], [0, 1, 0, 0], [0, 0, 0, 1]]
    f1 = m.per_class_f1(matrix)
    # unrelated: tp1 gold2 pred2 -> .5; supports: tp1 gold2 pred2 -> .5;
    # contradicts: tp0 -> 0; mentions: tp1 gold1 pred2 -> P.5 R1 F2/3
    assert f1 == pytest.approx(
        {"unrelated": 0.5, "supports": 0.5, "contradicts": 0.0, "mentions": 2 / 3}
    )
    assert m.macro_f1(f1) == pytest.approx((0.5 + 0.5 + 0 + 2 / 3) / 4)
    # best: 2 x .25 + 4 x 1 = 4.5; got: unrelated right .25, unrelated->mentions 0,
    # supports right 1, contradicts->supports .25, mentions right 1, supports->unrelated 0
    assert m.fnc_score(gold, pred) == pytest.approx(100 * 2.5 / 4.5)
