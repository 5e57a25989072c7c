"""The indexed rule book names every string as the ordered rules do, one by one."""

from hypothesis import given, settings
from hypothesis import strategies as st

from ipex.compliance.models import NormalisationRule, RuleKind
from ipex.compliance.services.products import RuleBook, normalise

WORDS = ["Office", "office", "WPS", "Kylin", "Win", "Windows 10", "7-Zip", "Ü", "ß", "SS", ""]
PUBLISHERS = ["", "Microsoft", "microsoft", "Kingsoft"]


def rule(kind, pattern, publisher):
    if kind == RuleKind.REGEX:
        pattern = "^" + pattern.replace("-", r"\-")
    return NormalisationRule(kind=kind, pattern=pattern, publisher=publisher)


rules = st.lists(
    st.builds(
        rule,
        st.sampled_from(RuleKind.values),
        st.sampled_from([w for w in WORDS if w]),
        st.sampled_from(PUBLISHERS),
    ),
    max_size=12,
)
names = st.lists(st.sampled_from(WORDS), min_size=1, max_size=3).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(rules, names, st.sampled_from(PUBLISHERS))
def test_the_rule_book_gives_the_first_matching_rule(ordered, name, publisher):
    assert RuleBook(ordered).first(name, publisher) is normalise(name, publisher, ordered)


def test_an_earlier_prefix_rule_beats_a_later_exact_one():
    prefix = rule(RuleKind.PREFIX, "Windows", "")
    exact = rule(RuleKind.EXACT, "Windows 10", "")
    assert RuleBook([prefix, exact]).first("windows 10") is prefix
    assert RuleBook([exact, prefix]).first("windows 10") is exact
    assert RuleBook([exact, prefix]).first("Windows 11") is prefix
    assert RuleBook([exact]).first("Windows 10", "Microsoft") is exact
    assert RuleBook([rule(RuleKind.EXACT, "Windows 10", "Kingsoft")]).first("Windows 10") is None
