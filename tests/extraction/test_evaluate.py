"""The evaluation harness on the gold files: stable JSON and the quality bar."""

from __future__ import annotations

from pathlib import Path

from analysis.extraction.evaluate import evaluate, to_json

GOLD = sorted((Path(__file__).resolve().parents[1] / "gold").glob("*.json"))


def test_there_are_four_gold_articles_of_different_kinds():
    assert len(GOLD) >= 4


def test_evaluation_output_is_stable_json():
    assert to_json(evaluate(GOLD)) == to_json(evaluate(GOLD))


def test_gold_scores_meet_the_bar():
    overall = evaluate(GOLD)["overall"]
    assert overall["recall"] >= 0.9
    assert overall["precision"] >= 0.8
