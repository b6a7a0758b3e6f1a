"""similarity(): same truth conditions across articles."""

from analysis.corroboration import SIMILARITY_LINK, SIMILARITY_SUGGEST, similarity


def test_same_claim_reworded_links():
    a = "around 11,000 north korean troops were sent to russia"
    b = "north korea sent around 11,000 troops to russia"
    assert similarity(a, b) >= SIMILARITY_SUGGEST
    assert similarity(a, a) == 1.0 >= SIMILARITY_LINK


def test_different_numbers_are_different_claims():
    a = "no north korean troops have been seen near the front for two weeks"
    b = "no north korean troops have been seen near the front for three weeks"
    assert similarity(a, b) < SIMILARITY_SUGGEST


def test_digits_and_words_are_the_same_number():
    assert (
        similarity("troops not seen for two weeks", "troops not seen for 2 weeks")
        >= SIMILARITY_LINK
    )


def test_negation_changes_truth_conditions():
    a = "north korean troops have been withdrawn from the front"
    b = "north korean troops have not been withdrawn from the front"
    assert similarity(a, b) < SIMILARITY_SUGGEST


def test_unrelated_claims_are_far_apart():
    assert (
        similarity(
            "half of russia's shells come from north korea",
            "the harbour festival will last five days",
        )
        < 0.2
    )
    assert similarity("", "anything") == 0.0
